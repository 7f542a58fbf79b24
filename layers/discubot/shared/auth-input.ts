// Bodies of the sign-in routes (`POST /api/auth/login`, `POST /api/auth/setup`).
import { z } from 'zod'

const email = z.string().trim().toLowerCase().pipe(z.email('Enter a valid email address').max(320))

export const loginSchema = z.object({
  email,
  password: z.string().min(1, 'Enter your password').max(1000),
})
export type LoginInput = z.infer<typeof loginSchema>

export const MIN_PASSWORD_LENGTH = 10

export const setupSchema = z.object({
  token: z.string().min(1).max(200),
  email,
  name: z.string().trim().min(1).max(100).optional(),
  password: z.string().min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters`).max(1000),
})
export type SetupInput = z.infer<typeof setupSchema>

export const setupTokenQuerySchema = z.object({ token: z.string().min(1).max(200) })
