/**
 * Container image references, by the grammar of the OCI distribution reference
 * (github.com/distribution/reference, regexp.go / reference.go):
 *
 *   reference     := name [ ":" tag ] [ "@" digest ]
 *   name          := [domain "/"] path-component ["/" path-component]*      (at most 255 characters)
 *   domain        := domain-component ["." domain-component]* [":" port-number]
 *   path-component:= [a-z0-9]+ (separator [a-z0-9]+)*,  separator := [_.] | "__" | "-"+
 *   tag           := [\w][\w.-]{0,127}                                      (at most 128 characters)
 *   digest        := "sha256:" 64 lower-case hex digits (the only algorithm registries require)
 *
 * Nothing else (spaces, quotes, "$", ";", upper-case repository names, "a::::") is a reference,
 * so a valid one is also safe wherever it is echoed.
 */
const PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
const DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const DOMAIN = `${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*(?::[0-9]{1,5})?`;
const NAME = `(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const TAG = "[\\w][\\w.-]{0,127}";
const DIGEST = "sha256:[a-f0-9]{64}";

export const NAME_MAX_LENGTH = 255;
/** name, ":" tag, "@" digest at their longest. */
const REFERENCE_MAX_LENGTH = NAME_MAX_LENGTH + 1 + 128 + 1 + 71;

const REFERENCE = new RegExp(`^(${NAME})(?::${TAG})?(?:@${DIGEST})?$`);

/** A pattern for the schema: the length look-ahead fails long input before any backtracking. */
export const IMAGE_REFERENCE = new RegExp(`^(?=.{1,${REFERENCE_MAX_LENGTH}}$)${REFERENCE.source.slice(1)}`);
export const OPTIONAL_IMAGE_REFERENCE = new RegExp(`^(?:(?=.{1,${REFERENCE_MAX_LENGTH}}$)${REFERENCE.source.slice(1, -1)})?$`);
export const IMAGE_REFERENCE_HINT =
    "an OCI image reference [registry/]repository[:tag][@sha256:<64 hex>] such as ghcr.io/acme/api:1.4.2 " +
    "(lower-case repository path, tag of at most 128 letters, digits, '_', '.', '-')";

/** Whether `reference` is valid, the name part included (at most 255 characters). */
export function isImageReference(reference: string): boolean {
    const match = IMAGE_REFERENCE.exec(reference);
    return match !== null && match[1].length <= NAME_MAX_LENGTH;
}
