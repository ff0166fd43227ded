// The one shape every front end has, so `npm start` starts whatever is configured the same way.

export interface FrontEnd {
  /** For logs: "slack", "discord". */
  name: string;
  /** Starts serving; resolves once it is up, with how to stop it. Throws StartError when it cannot start. */
  start(): Promise<() => Promise<void>>;
}
