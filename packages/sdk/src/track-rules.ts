// Temporary until @proofdrop/protocol lands on main: then the track_id and event rules come from it.
export const isTrackId = (value: string): boolean => /^[!-%'-<>-~]{1,128}$/.test(value);
export const isEvent = (value: string): boolean => /^[A-Za-z0-9_.:-]{1,64}$/.test(value);
