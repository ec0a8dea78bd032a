/**
 * The web page (gateway/web/README.md): GET / and its files under /web/, and the development
 * sign-in POST /dev/token, which exists only while JWT_SECRET is the public development secret and
 * no JWKS is configured (otherwise /dev/token is an unknown route: 404).
 */
import express, { Router, type Response } from 'express';
import fs from 'node:fs';
import path from 'node:path';
import { config, DEV_JWT_SECRET } from '../../common/config';
import { signDevToken, SUB_PATTERN } from '../auth';
import { ApiError } from '../errors';
import { INDEX_HTML, STYLE_CSS } from './page';

/** The page's policy: its own origin's scripts, styles and connections (REST and the WebSocket), nothing else. */
export const PAGE_CSP = [
  "default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'", "img-src 'self' data:",
  "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'",
].join('; ');

/** Lifetime of a development sign-in token. */
export const DEV_TOKEN_TTL_SECONDS = 8 * 3600;

const CLIENT_DIR = path.join(__dirname, 'client');
const MODULE_NAME = /^[A-Za-z][A-Za-z0-9]*\.mjs$/;

export function devSignInEnabled(cfg: { jwtSecret: string; jwtJwksUrl: string } = config): boolean {
  return cfg.jwtSecret === DEV_JWT_SECRET && !cfg.jwtJwksUrl;
}

function page(res: Response, type: string, body: string | Buffer): void {
  res.setHeader('Content-Security-Policy', PAGE_CSP);
  res.type(type).send(body);
}

export function webRouter(): Router {
  const r = Router();
  r.get('/', (_req, res) => page(res, 'text/html; charset=utf-8', INDEX_HTML));
  r.get('/web/style.css', (_req, res) => page(res, 'text/css; charset=utf-8', STYLE_CSS));
  r.get('/web/:file', (req, res, next) => {
    const file = req.params.file;
    if (!MODULE_NAME.test(file) || file.includes('.test.')) return next();
    fs.readFile(path.join(CLIENT_DIR, file), (err, body) => (err ? next() : page(res, 'text/javascript; charset=utf-8', body)));
  });

  if (devSignInEnabled()) {
    r.get('/dev/token', (_req, res) => res.json({ devSignIn: true, method: 'POST /dev/token {"user": "...", "email": "..."}' }));
    r.post('/dev/token', express.json({ limit: '4kb' }), async (req, res) => {
      const { user, email } = (req.body ?? {}) as { user?: unknown; email?: unknown };
      const details = [];
      if (typeof user !== 'string' || !SUB_PATTERN.test(user)) details.push({ field: 'user', message: 'must be 1 to 128 letters, digits or . _ @ : | + -' });
      if (email !== undefined && (typeof email !== 'string' || !/^[^\s@,<>]+@[^\s@,<>]+$/.test(email) || email.length > 320)) details.push({ field: 'email', message: 'must be one email address' });
      if (details.length) throw new ApiError(400, 'invalid_input', 'the sign-in is invalid', details);
      const token = await signDevToken(user as string, email as string | undefined, DEV_TOKEN_TTL_SECONDS);
      res.json({ token, expiresIn: DEV_TOKEN_TTL_SECONDS });
    });
  }
  return r;
}
