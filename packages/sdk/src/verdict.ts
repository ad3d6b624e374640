// Temporary until @proofdrop/contract lands on main: then the verdict is its callback answer type.
export type CallbackVerdict = {
  ok: boolean;
  code: string;
  message: string;
  progress?: { count: number; required: number };
  eligible?: boolean;
};
