/**
 * `GET /oauth/userinfo`, KubeSphere 4's OpenID Connect user-info endpoint: the claims of the user
 * the bearer token authenticates (sub, preferred_username, name). The runner asks it who a token
 * is, so the report shows the identity the server saw, not the configured name.
 */
import { type RequestContext, type SandboxUser, sendJSON } from '../http/http';

export const USERINFO_PATH = '/oauth/userinfo';

export function answerUserInfo(ctx: RequestContext, user: SandboxUser): void {
  sendJSON(ctx.res, 200, { sub: user.name, preferred_username: user.name, name: user.name });
}
