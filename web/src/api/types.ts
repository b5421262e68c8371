/** `GET /api/me` → 200. */
export interface Me {
  readonly username: string;
  readonly isAdmin: boolean;
  /** The password must be changed before anything else (the gateway refuses other API calls with 403). */
  readonly mustChangePassword: boolean;
  /** Set when this sign-in was opened by a Web Desktop link: the one target it may reach. */
  readonly scope?: string | null;
}

/** `POST /api/auth/signin` → 200. */
export interface SignInResult {
  readonly username: string;
  readonly isAdmin: boolean;
  readonly mustChangePassword: boolean;
}

/** What the signed-in user may do on a target. */
export interface TargetPermissions {
  /** Remote clipboard may flow to the browser. */
  readonly clipboardRead: boolean;
  /** Browser clipboard may flow to the remote side. */
  readonly clipboardWrite: boolean;
  /** The remote desktop may be resized to the browser window. */
  readonly resize: boolean;
}

/** One entry of `GET /api/targets`. */
export interface Target {
  readonly id: string;
  readonly name: string;
  readonly protocol: string;
  readonly description: string;
  readonly labels: Readonly<Record<string, string>> | readonly string[];
  readonly permissions: TargetPermissions;
}
