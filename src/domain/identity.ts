/** A person as a chat surface knows them. */
export interface Identity {
  /** Surface-specific id (Teams AAD object id, Slack user id, terminal name). */
  id: string;
  email?: string;
  displayName?: string;
  /** Group names (e.g. Entra groups) the person belongs to, when the surface knows them. */
  groups?: string[];
}
