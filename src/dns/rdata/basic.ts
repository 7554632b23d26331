/** The RFC 1035 types and their common companions: A, AAAA, NS, CNAME, DNAME, PTR, SOA, MX, TXT, SPF, SRV, NAPTR, CAA, HINFO. */
export {};
