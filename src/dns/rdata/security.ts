/** Keys, DNSSEC and service binding: SSHFP, TLSA, DS, CDS, DNSKEY, CDNSKEY, RRSIG, NSEC, NSEC3, NSEC3PARAM, SVCB, HTTPS, OPT. */
export {};
