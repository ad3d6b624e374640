import { CallbacksService } from './callbacks/callbacks.service.js';
import type { Config } from './config.js';
import type { Db } from './db/database.js';
import { GiveawaysService } from './giveaways/giveaways.service.js';
import { HostsService } from './hosts/hosts.service.js';
import type { Clock } from './lib/clock.js';
import { ParticipantsService } from './participants/participants.service.js';
import { ProjectsService } from './projects/projects.service.js';

export type Services = {
  config: Config;
  /** Cookies are marked Secure when the public URL is https. */
  secureCookies: boolean;
  hosts: HostsService;
  projects: ProjectsService;
  giveaways: GiveawaysService;
  participants: ParticipantsService;
  callbacks: CallbacksService;
};

export function createServices(db: Db, config: Config, clock: Clock): Services {
  const hosts = new HostsService(db, clock);
  const projects = new ProjectsService(db, clock);
  const giveaways = new GiveawaysService(db, clock, projects);
  const participants = new ParticipantsService(db, clock, giveaways);
  const callbacks = new CallbacksService(db, clock, projects);
  return {
    config,
    secureCookies: config.publicUrl.startsWith('https:'),
    hosts,
    projects,
    giveaways,
    participants,
    callbacks,
  };
}
