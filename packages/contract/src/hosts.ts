import { type Static, Type } from 'typebox';
import { EmailSchema } from './common.js';

/** The sign-up policy for a new password. */
export const NewPasswordSchema = Type.String({
  minLength: 8,
  maxLength: 256,
  description: 'at least 8 characters',
});

export const SignupInputSchema = Type.Object(
  {
    email: EmailSchema,
    password: NewPasswordSchema,
    invite: Type.Optional(
      Type.String({ maxLength: 128, description: 'the token of an invite link; needed when SIGNUP=closed' }),
    ),
  },
  { additionalProperties: false },
);
export type SignupInput = Static<typeof SignupInputSchema>;

/** Sign-in does not apply the sign-up policy: a wrong short password is a plain 401. */
export const CredentialsSchema = Type.Object(
  { email: EmailSchema, password: Type.String({ minLength: 1, maxLength: 256 }) },
  { additionalProperties: false },
);
export type Credentials = Static<typeof CredentialsSchema>;

export const PasswordChangeSchema = Type.Object(
  { currentPassword: Type.String({ minLength: 1, maxLength: 256 }), newPassword: NewPasswordSchema },
  { additionalProperties: false },
);
export type PasswordChange = Static<typeof PasswordChangeSchema>;

export const SignupStatusSchema = Type.Object({
  inviteRequired: Type.Boolean({
    description:
      'whether sign-up takes an invite link now: SIGNUP=closed, once the server has its first host',
  }),
});
export type SignupStatus = Static<typeof SignupStatusSchema>;

export const InviteSchema = Type.Object({
  token: Type.String(),
  link: Type.String({ description: 'the sign-up page with the token' }),
  expiresAt: Type.String(),
});
export type Invite = Static<typeof InviteSchema>;

export const HostSchema = Type.Object({ id: Type.String(), email: Type.String() });
export type Host = Static<typeof HostSchema>;

/** Who a request is signed in as, if anyone: a page asks this without a refusal to show for "nobody". */
export const SignedInSchema = Type.Object({
  host: Type.Union([HostSchema, Type.Null()], {
    description: 'null when the request carries no live session',
  }),
});
export type SignedIn = Static<typeof SignedInSchema>;

export const SessionSchema = Type.Object({
  token: Type.String({ description: 'bearer token for Authorization: Bearer <token>; also set as a cookie' }),
  host: HostSchema,
});
export type Session = Static<typeof SessionSchema>;
