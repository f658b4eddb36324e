/**
 * Stable error codes. Every failure PortalOps shows a user carries one of these; guidance
 * (src/guidance/) is looked up by code, never by matching message text.
 */
export const ERROR_CODES = [
  // configuration and input
  'config_invalid',
  'port_in_use',
  'environments_file_missing',
  'environments_file_invalid',
  'unknown_environment',
  'invalid_input',
  'validation_failed',
  // transport and platform
  'endpoint_unreachable',
  'request_timeout',
  'throttled',
  'service_unavailable',
  'platform_error',
  'not_found',
  'conflict',
  'bad_request',
  // identity and permissions
  'auth_failed',
  'token_expired',
  'sign_in_required',
  'consent_required',
  'app_only_not_supported',
  'forbidden',
  'missing_site_app_permission',
  // Dataverse
  'batch_failed',
  'record_error',
  // lifecycle outcomes
  'operation_failed',
  'provisioning_failed',
  'package_install_failed',
  'package_install_preflight_failed',
  'package_install_unavailable',
  'reset_not_submitted',
  'reset_failed',
  'operation_deadline_passed',
  'snapshot_empty',
  'migration_preflight_failed',
  'migration_verify_failed',
  'data_model_move_refused',
  'data_model_migration_failed',
  'data_model_verify_failed',
  // site folders (pac layout, snapshots, deployment profiles)
  'unsafe_path',
  'site_file_invalid',
  'duplicate_record_id',
  'deployment_profile_invalid',
  // jobs
  'site_busy',
  'job_not_found',
  'job_state_conflict',
  'site_not_answering',
  'site_state_conflict',
  // approvals
  'plan_changed',
  // the store
  'data_dir_locked',
  'store_damaged',
  'store_write_failed',
] as const;

/** One of the stable error codes. */
export type ErrorCode = (typeof ERROR_CODES)[number];
