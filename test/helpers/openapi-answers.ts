/**
 * Checks a real HTTP answer against an OpenAPI 3.1 document: the status is one the operation
 * lists, the content type the one it names, and a JSON body valid against its schema (JSON
 * Schema 2020-12 with ajv, formats included). Also the API's naming rule: no snake_case key in
 * a JSON answer.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

type Doc = { paths: Record<string, Record<string, Operation>>; components: Record<string, unknown> };
type Operation = { 'x-required-scope'?: string; responses: Record<string, { content?: Record<string, { schema: unknown }> }> };

export const snakeCaseKeys = (value: unknown, path = ''): string[] => {
  if (Array.isArray(value)) return value.flatMap((v, i) => snakeCaseKeys(v, `${path}[${i}]`));
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => [...(k.includes('_') ? [`${path}.${k}`] : []), ...snakeCaseKeys(v, `${path}.${k}`)]);
  return [];
};

export const answerChecker = (doc: Doc) => {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  (addFormats as unknown as (a: Ajv2020) => void)(ajv);
  const compiled = new Map<unknown, ReturnType<Ajv2020['compile']>>();
  const validatorOf = (schema: unknown) => {
    if (!compiled.has(schema)) compiled.set(schema, ajv.compile({ ...(schema as object), components: doc.components }));
    return compiled.get(schema)!;
  };
  /** Problems with the answer (empty: it matches the document). `files`: the body is a stored file, not an API object. */
  return async (method: string, template: string, response: Response, options: { file?: boolean } = {}): Promise<string[]> => {
    const operation = doc.paths[template]?.[method.toLowerCase()];
    if (!operation) return [`${method} ${template} is not in the document`];
    const documented = operation.responses[String(response.status)];
    if (!documented) return [`${method} ${template} answered ${response.status}, which the document does not list`];
    const contentType = (response.headers.get('content-type') ?? '').split(';')[0]!.trim();
    const text = await response.text();
    if (!documented.content) return text === '' ? [] : [`${response.status} has a body the document does not describe`];
    const media = documented.content[contentType];
    if (!media) return [`${response.status} answered ${contentType}; the document says ${Object.keys(documented.content).join(', ')}`];
    if (contentType !== 'application/json') return [];
    const body = JSON.parse(text);
    const validate = validatorOf(media.schema);
    const problems = validate(body) ? [] : [`${method} ${template} ${response.status}: ${ajv.errorsText(validate.errors)} in ${text.slice(0, 300)}`];
    if (!options.file) problems.push(...snakeCaseKeys(body).map((k) => `${method} ${template} ${response.status}: snake_case key ${k}`));
    return problems;
  };
};
