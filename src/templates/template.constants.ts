/** Largest template `config`, in bytes of its JSON serialization. */
export const TEMPLATE_CONFIG_MAX_BYTES = 64 * 1024;
