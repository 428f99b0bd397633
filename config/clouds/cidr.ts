/** One IPv4 octet, 0-255, without leading zeros (which some tools read as octal). */
const OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])";

/** An IPv4 CIDR whose prefix length matches `prefix` (a regular expression source such as "(1[6-9]|20)"). */
export function ipv4Cidr(prefix: string): RegExp {
    return new RegExp(`^(${OCTET}\\.){3}${OCTET}\\/${prefix}$`);
}
