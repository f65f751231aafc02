/**
 * What `errspec init` writes: a starter provider that generates at once and shows each part of a
 * provider file, the package's settings, and the config. `schemaDir` is the path from the spec
 * folder to errspec's format schemas, for the editor's `yaml-language-server` line.
 */

export function starterProvider(schemaDir: string): string {
  return `# yaml-language-server: $schema=${schemaDir}/provider.schema.json
#
# One provider's errors: this file's name (example.yaml) is its id, and the generated package's
# subpath (your-package/example). Rename it, then replace each part with what your API's docs
# say. The canonical taxonomy (categories such as rate_limited, actions such as retry) comes with
# errspec; a taxonomy.yaml in this folder would replace it. Every part is described, with the
# shipped providers as examples, in errspec's spec/README.md.

format: 2
provider: example
name: Example API

# The documents this file encodes; every code and status names one in \`source\`.
sources:
  errors: { document: https://example.com/docs/errors, title: Errors }

# How requests are sent. Without an idempotency key a POST that may have run is never sent again.
sending:
  idempotencyHeader:
    none: true
    source: errors

layers:
  http:
    # The JSON Schema of a failed response's body, as the docs show it.
    envelope:
      title: ExampleHttpError
      type: object
      required: [error]
      properties:
        error:
          type: object
          required: [code, message]
          properties:
            code: { type: string }
            message: { type: string }
            param: { type: string }
    # Where the code, message and offending parameter sit in that body.
    fields:
      code: error.code
      message: error.message
      param: error.param
    # What an HTTP status means when the body names no code errspec knows.
    statuses:
      401:
        category: authentication
        description: The API key is missing or invalid.
        source: errors
      429:
        category: rate_limited
        description: Too many requests; the response says how long to wait in Retry-After.
        source: errors
      500:
        category: server_error
        description: An internal error.
        source: errors
    # Every documented code, mapped onto a category; the action and retry rule follow from it
    # unless the code says otherwise. Each example is a real body with what errspec must make of it.
    codes:
      invalid_parameter:
        status: 400
        category: invalid_request
        description: A parameter is missing or has a wrong value.
        source: errors
        examples:
          - status: 400
            body: { error: { code: invalid_parameter, message: "prompt is required", param: prompt } }
            expect: { category: invalid_request, retryable: false, action: fix_request, known: true, param: prompt }
      rate_limited:
        status: 429
        category: rate_limited
        description: The account sent too many requests.
        suggestion: Wait as long as Retry-After says, then send the request again.
        source: errors
        examples:
          - status: 429
            headers: { retry-after: "2" }
            body: { error: { code: rate_limited, message: Too many requests } }
            expect: { category: rate_limited, retryable: true, action: reduce_rate, known: true, retryAfterMs: 2000 }
`;
}

/** The generated package's settings: a name the project owns, and private, for a workspace or file: dependency. */
export function starterPackage(schemaDir: string, name: string): string {
  return `# yaml-language-server: $schema=${schemaDir}/package.schema.json
#
# Settings of the generated package's package.json. Every field but format is optional: name,
# version (or keep, when a release tool owns it), description, license, private, author,
# homepage, keywords, repository.

format: 2
name: ${JSON.stringify(name)}
version: 0.1.0
private: true
`;
}

/** The config, beside package.json: paths are relative to it. */
export function starterConfig(schemaPath: string, spec: string, out: string): string {
  return `${JSON.stringify({ $schema: schemaPath, spec, out }, null, 2)}\n`;
}

/** The package.json scripts a project runs errspec with; `generate --check` names the first. */
export const STARTER_SCRIPTS: Readonly<Record<string, string>> = {
  'errors:generate': 'errspec generate',
  'errors:check': 'errspec generate --check',
  'errors:diff': 'errspec diff HEAD',
};
