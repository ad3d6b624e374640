import { type Static, Type } from 'typebox';
import { EmailSchema } from './common.js';

export const CredentialsSchema = Type.Object(
  {
    email: EmailSchema,
    password: Type.String({ minLength: 8, maxLength: 256, description: 'at least 8 characters' }),
  },
  { additionalProperties: false },
);
export type Credentials = Static<typeof CredentialsSchema>;

export const HostSchema = Type.Object({ id: Type.String(), email: Type.String() });
export type Host = Static<typeof HostSchema>;

export const SessionSchema = Type.Object({
  token: Type.String({ description: 'bearer token for Authorization: Bearer <token>; also set as a cookie' }),
  host: HostSchema,
});
export type Session = Static<typeof SessionSchema>;
