"""The stdio fixture's tools served over HTTPS with client certificates
required (uvicorn + PyPI `mcp` 2.3.0), for the tests of Warden's TLS and mTLS
upstreams.

    tls_server.py PORT CERT KEY CLIENT_CA
"""

import ssl
import sys

import uvicorn
from mcp.server.transport_security import TransportSecuritySettings

from stdio_fixture import server

if __name__ == "__main__":
    port, cert, key, client_ca = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
    security = TransportSecuritySettings(enable_dns_rebinding_protection=False)
    uvicorn.run(
        server.streamable_http_app(transport_security=security),
        host="127.0.0.1",
        port=int(port),
        ssl_certfile=cert,
        ssl_keyfile=key,
        ssl_ca_certs=client_ca,
        ssl_cert_reqs=ssl.CERT_REQUIRED,
        log_level="warning",
    )
