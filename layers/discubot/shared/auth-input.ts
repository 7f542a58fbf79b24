// Bodies of the sign-in routes: sign-in, the first admin's setup, accepting an invite, a password
// reset link, changing one's own password.
import { z } from 'zod'

const email = z.string().trim().toLowerCase().pipe(z.email('Enter a valid email address').max(320))

export const loginSchema = z.object({
  email,
  password: z.string().min(1, 'Enter your password').max(1000),
})
export type LoginInput = z.infer<typeof loginSchema>

export const MIN_PASSWORD_LENGTH = 10

/** Every password a person chooses; each rule names itself when it is broken. */
export const newPasswordSchema = z.string()
  .min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(1000, 'Use at most 1000 characters')
  .refine(password => new Set(password).size >= 4, 'Use at least 4 different characters')

const token = z.string().min(1).max(200)
const personName = z.string().trim().min(1, 'Enter your name').max(100)

export const setupSchema = z.object({
  token,
  email,
  name: personName.optional(),
  password: newPasswordSchema,
})
export type SetupInput = z.infer<typeof setupSchema>

/** A one-time link's token in the query (`GET /api/auth/setup|invite|password-reset?token=`). */
export const tokenQuerySchema = z.object({ token })

/**
 * Accepting an invite. A new account chooses its name and a password (the password rules apply);
 * someone who already has an account (in another team) proves it with their current password.
 */
export const acceptInviteSchema = z.object({
  token,
  name: personName.optional(),
  password: z.string().min(1, 'Enter a password').max(1000),
})
export type AcceptInviteInput = z.infer<typeof acceptInviteSchema>

export const passwordResetSchema = z.object({ token, password: newPasswordSchema })
export type PasswordResetInput = z.infer<typeof passwordResetSchema>

export const changePasswordSchema = z.object({
  currentPassword: z.string().min(1, 'Enter your current password').max(1000),
  newPassword: newPasswordSchema,
})
export type ChangePasswordInput = z.infer<typeof changePasswordSchema>
