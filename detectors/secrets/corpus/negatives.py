# Hard negatives: (phase, text). «kind» markers are filled like the positives
# (used for UUIDs, hashes and ids that must NOT be reported).
NEG = [
# --- identifiers, hashes, ids -----------------------------------------------------
("response", """{"id": "«uuid»", "status": "succeeded", "created": 1718101234, "amount": 4200, "currency": "eur"}"""),
("response", """commit «hex40»
Author: Maria Kowalski <maria@northwind.io>
Date:   Tue Jun 11 09:12:44 2024 +0200

    fix(payments): retry idempotent requests on 409"""),
("response", """$ git log --oneline -5
«hex7» Merge pull request #1432 from northwind/feat/export
«hex7» bump axios to 1.7.2
«hex7» docs: explain token rotation
«hex7» ci: cache cargo registry
«hex7» fix flaky test in auth middleware"""),
("response", """sha256sum dist/*
«hex64»  dist/warden-0.4.1-x86_64-unknown-linux-gnu.tar.gz
«hex64»  dist/warden-0.4.1-aarch64-apple-darwin.tar.gz"""),
("response", """md5: «hex32»
sha1: «hex40»
size: 1048576 bytes"""),
("response", """"node_modules/lodash": {
  "version": "4.17.21",
  "resolved": "https://registry.npmjs.org/lodash/-/lodash-4.17.21.tgz",
  "integrity": "sha512-«b64:86»=="
}"""),
("response", """<img alt="logo" src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAADAAAAAwCAYAAABXAvmHAAAA«b64:400»" />"""),
("response", """Order #ORD-2024-0611-88412 confirmed. Tracking: 1Z999AA10123456784. Invoice INV-000184722."""),
("response", """{"request_id": "req_«an:24»", "trace_id": "«hex32»", "span_id": "«hex16»"}"""),
("response", """Docker image: registry.northwind.io/api@sha256:«hex64»"""),
("response", """Container ID: «hex64»
Created: 2024-06-11T08:00:00Z
Status: Up 3 hours"""),
("response", """Stripe customer cus_«an:14» has payment method pm_«an:24» and subscription sub_«an:24»."""),
("response", """Created checkout session cs_test_«an:58» for price price_«an:24»"""),
("response", """{"object": "event", "id": "evt_«an:24»", "type": "invoice.paid", "livemode": true}"""),
("response", """S3 object etag: "«hex32»"
VersionId: «an:32»"""),
("response", """AWS resources:
arn:aws:iam::123456789012:role/service-role/lambda-exec
arn:aws:lambda:eu-west-1:123456789012:function:orders-sync
UserId: AIDA«b32:16»
RoleId: AROA«b32:16»"""),
("response", """Request ID: «uuid»
Extended Request ID: «b64:76»="""),
("response", """https://drive.google.com/file/d/1«an:32»/view?usp=sharing"""),
("response", """YouTube video: https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42s"""),
("response", """Session recording: https://app.posthog.com/replay/«uuid»?t=120"""),
("response", """Download: https://cdn.northwind.io/builds/«hex40»/app-release.apk"""),
("response", """BTC tx 4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b confirmed in block 840000."""),
("response", """Ethereum address 0x742d35Cc6634C0532925a3b844Bc454e4438f44e received 0.5 ETH"""),
("response", """kubectl get pods
NAME                                READY   STATUS    RESTARTS   AGE
api-7d9f8b6c5d-x2k9q                1/1     Running   0          3h
worker-5c8d7e6f9a-p4m7n             1/1     Running   2          3h"""),
("response", """Terraform state lineage: «uuid», serial 412"""),
("response", """Mongo ObjectId("«hex24»") updated"""),
("response", """ULIDs: 01HZX3K8Q9V7T2M4N6P8R0S2T4, 01HZX3K8QA1B3C5D7E9F1G3H5J"""),
("response", """Feature flag rollout hash seed: «hex16» (bucket 42 of 100)"""),
("response", """Datadog trace: https://app.datadoghq.eu/apm/trace/«digits:19»?spanID=«digits:19»"""),
("response", """Sentry event «hex32» grouped into issue NORTHWIND-WEB-4F2"""),
# --- public keys and certificates -------------------------------------------------
("response", """$ cat ~/.ssh/id_ed25519.pub
ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI«b64:43» maria@laptop"""),
("response", """authorized_keys:
ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQ«b64:300»= deploy@ci"""),
("response", """-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA«b64:20»
«b64:64»
«b64:64»
«b64:56»IDAQAB
-----END PUBLIC KEY-----"""),
("response", """-----BEGIN CERTIFICATE-----
MIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQswCQYDVQQGEwJJ
«b64:64»
«b64:64»
«b64:64»
-----END CERTIFICATE-----"""),
("response", """{"keys":[{"kty":"RSA","kid":"«hex16»","use":"sig","alg":"RS256","n":"«b64u:342»","e":"AQAB"}]}"""),
("response", """known_hosts:
github.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"""),
("response", """-----BEGIN PGP PUBLIC KEY BLOCK-----

mQINBGQ«b64:61»
«b64:64»
«b64:64»
=«b64:4»
-----END PGP PUBLIC KEY BLOCK-----"""),
("response", """age recipient for the backups: age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p"""),
("response", """GPG key fingerprint: 4AEE 18F8 3AFD EB23 8D4B  6C4E 2F7A 3B59 1C8D 0E6F"""),
("response", """Certificate fingerprint (SHA-256): 5E:FF:56:A2:AF:15:88:25:35:45:12:A0:B4:2B:2B:2C:3C:15:EE:79:17:C8:A0:3D:0D:24:B1:94:1A:75:05:9A"""),
# --- documentation examples and placeholders --------------------------------------
("response", """# Configure the AWS CLI
$ aws configure
AWS Access Key ID [None]: AKIAIOSFODNN7EXAMPLE
AWS Secret Access Key [None]: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
Default region name [None]: us-west-2"""),
("response", """Set your key in the environment:

    export STRIPE_SECRET_KEY=sk_live_xxxxxxxxxxxxxxxxxxxxxxxx

Never commit this value."""),
("response", """GITHUB_TOKEN=ghp_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"""),
("response", """Authorization: Bearer <your-token>"""),
("response", """OPENAI_API_KEY=<your-openai-api-key>
ANTHROPIC_API_KEY=<your-anthropic-api-key>"""),
("response", """api_key: ${API_KEY}
secret: ${CLIENT_SECRET}
password: ${DB_PASSWORD}"""),
("response", """DATABASE_URL=postgres://user:password@localhost:5432/mydb"""),
("response", """mongodb://<username>:<password>@cluster0.mongodb.net/test"""),
("response", """redis://:${REDIS_PASSWORD}@redis:6379/0"""),
("response", """amqp://guest:guest@localhost:5672/"""),
("response", """postgresql://postgres:postgres@db:5432/postgres"""),
("response", """mysql://root:***@127.0.0.1:3306/app"""),
("response", """https://user:pass@example.com/private"""),
("response", """Example request:
curl https://api.example.com/v1/items -H "Authorization: Bearer $API_TOKEN\""""),
("response", """token = os.environ["GITHUB_TOKEN"]
api_key = os.getenv("OPENAI_API_KEY")
password = getpass.getpass("DB password: ")"""),
("response", """const apiKey = process.env.STRIPE_SECRET_KEY;
const token = req.headers.authorization;
const secret = config.get('jwt.secret');"""),
("response", """password: "********"
api_token: "•••••••••••••"
client_secret: "[REDACTED]\""""),
("response", """{"api_key": "YOUR_API_KEY_HERE", "region": "us-east-1"}"""),
("response", """SLACK_BOT_TOKEN=xoxb-your-bot-token
SLACK_SIGNING_SECRET=your-signing-secret"""),
("response", """eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c is the sample token from jwt.io"""),
("response", """# .env.example
DB_HOST=localhost
DB_USER=app
DB_PASSWORD=changeme
SECRET_KEY=replace-with-a-long-random-string
STRIPE_KEY=sk_test_..."""),
("response", """-----BEGIN RSA PRIVATE KEY-----
MIIEpAIBAAKCAQEA...
...
-----END RSA PRIVATE KEY-----"""),
("response", """To generate a key run `ssh-keygen -t ed25519` — this creates ~/.ssh/id_ed25519 (private key) and ~/.ssh/id_ed25519.pub."""),
("response", """password_policy:
  min_length: 12
  require_symbols: true
  max_age_days: 90"""),
("response", """docs/auth.md: Pass the token in the `Authorization` header as `Bearer <token>`. Tokens expire after 1 hour; use the refresh token to get a new one."""),
("response", """Example: sk-proj-...abcd (redacted, last 4 shown)"""),
("response", """Your API key ending in ...7f3a was rotated on 2024-06-01."""),
("response", """aws_access_key_id = AKIAI44QH8DHBEXAMPLE
aws_secret_access_key = je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY"""),
("response", """xoxb-000000000000-0000000000000-xxxxxxxxxxxxxxxxxxxxxxxx"""),
("response", """Use a personal access token (it starts with ghp_) with the repo scope."""),
("response", """Stripe keys look like sk_live_..., rk_live_... and pk_live_...; test keys use the _test_ infix."""),
# --- code and tool outputs that mention secret-ish words -------------------------
("response", """def get_token(self) -> str:
    token = self._cache.get("token")
    if token is None:
        token = self._refresh()
    return token"""),
("response", """func (c *Client) SetAPIKey(apiKey string) {
	c.apiKey = apiKey
}"""),
("response", """class Settings(BaseSettings):
    api_key: str = Field(..., env="API_KEY")
    secret_key: SecretStr
    password: Optional[str] = None"""),
("response", """if (password !== confirmPassword) {
  throw new Error("Passwords do not match");
}"""),
("response", """SELECT user_id, password_hash, password_salt FROM users WHERE email = $1;"""),
("response", """usage: {"prompt_tokens": 1532, "completion_tokens": 211, "total_tokens": 1743}"""),
("response", """{"next_page_token": "«b64u:96»", "items": [{"id": 1}, {"id": 2}]}"""),
("response", """{"nextToken": "«b64:120»", "Items": []}"""),
("response", """<input type="hidden" name="csrfmiddlewaretoken" value="«an:64»">"""),
("response", """Set-Cookie: csrftoken=«an:32»; Path=/; SameSite=Lax"""),
("response", """Tokenizer output: [{"token": "Hello", "id": 9906}, {"token": " world", "id": 1917}]"""),
("response", """max_tokens: 4096
temperature: 0.2
top_p: 0.9"""),
("response", """Keyboard shortcuts: Ctrl+K opens the command palette; press Enter to run."""),
("response", """The passport_number field is optional; bypass_cache=true skips the CDN."""),
("response", """| Setting | Default |
|---|---|
| token_expiry | 3600 |
| password_min_length | 12 |
| key_rotation_days | 90 |"""),
("response", """The primary key of the orders table is order_id (bigint). Foreign key customer_id references customers(id)."""),
("response", """idempotency_key: «uuid»"""),
("response", """{"public_key": "«b64:44»", "key_id": "k-2024-06"}"""),
("response", """publishable_key: pk_test_«an:99»"""),
("response", """encryption: AES-256-GCM; key derivation: PBKDF2-HMAC-SHA256, 600000 iterations"""),
("response", """x-ratelimit-remaining-tokens: 149000
x-ratelimit-reset-tokens: 24ms
x-request-id: req_«hex32»"""),
("response", """fn verify_signature(payload: &[u8], secret: &[u8], header: &str) -> bool {
    let mac = hmac_sha256(secret, payload);
    constant_time_eq(&hex::encode(mac), header)
}"""),
("response", """The secret sauce of the recipe is smoked paprika."""),
("response", """Token bucket rate limiting: capacity=100, refill_per_second=10"""),
("response", """Password reset email sent to m***@northwind.io. The link expires in 30 minutes."""),
("response", """API keys can be managed under Settings → Developer → API keys. Keys are shown only once."""),
("response", """Authorization: Bearer realm="api", error="invalid_token", error_description="The access token expired\""""),
("response", """git credential-manager: stored credentials for https://github.com (user maria-k)"""),
("response", """Vault status: Sealed false, Total Shares 5, Threshold 3, Version 1.16.2, Cluster ID «uuid»"""),
("response", """The JWT header is {"alg":"RS256","typ":"JWT","kid":"«hex16»"} and it must be signed with the private key stored in KMS."""),
("response", """aaa.bbb.ccc is the shape of a JWT: header.payload.signature"""),
("response", """Version string: eyJ.0.1-beta+build.20240611"""),
("response", """«b64u:20».«b64u:30».«b64u:43»"""),
("response", """eyJmb28iOiJiYXIifQ.eyJzdWIiOiIxMjMifQ.«b64u:43»"""),
("response", """Checksums: crc32=«hex8» adler32=«hex8»"""),
("response", """License key for the on-prem build: TRIAL-2024-NORTHWIND-30DAYS"""),
("response", """Wi-Fi: network "Northwind-Guest", password on the whiteboard in room 4.12"""),
("response", """Parameters:
  token (string, required): The API token used to authenticate.
  password (string): The user's password. Never logged."""),
("response", """Q3 revenue: €4.2M (+12% QoQ). Top SKUs: NW-4411-BLK, NW-4411-WHT, NW-9002."""),
("response", """2024-06-11 09:14:22,418 INFO  auth: token validated for user_id=48213 (scopes=read:orders)"""),
("response", """2024-06-11T09:14:22Z WARN  login failed for user=mkowalski reason=bad_password attempts=3"""),
("response", """Generated random seed: 8f14e45fceea167a5a36dedd4bea2543 (for test reproducibility only, not a secret)""".replace('8f14e45fceea167a5a36dedd4bea2543', '«hex32»')),
("response", """ssh -i ~/.ssh/deploy_key.pem ubuntu@ec2-3-121-7-88.eu-central-1.compute.amazonaws.com"""),
("response", """private_key_path: /etc/warden/keys/signing.pem
certificate: /etc/warden/keys/signing.crt"""),
("response", """GOOGLE_APPLICATION_CREDENTIALS=/var/secrets/google/key.json"""),
("response", """secretName: tls-northwind-io
secretRef:
  name: db-credentials
  key: password"""),
("response", """valueFrom:
  secretKeyRef:
    name: api-secrets
    key: STRIPE_SECRET_KEY"""),
("response", """AWS_SECRET_ACCESS_KEY: {{ .Values.aws.secretKey | quote }}"""),
("response", """password: !vault |
  $ANSIBLE_VAULT;1.1;AES256
  «hex64»"""),
("response", """The token 'auth' is a reserved keyword in the config grammar."""),
("response", """$ npm whoami
mkowalski
$ npm token list
┌────────┬─────────┬────────────┬──────────┐
│ id     │ token   │ created    │ readonly │
├────────┼─────────┼────────────┼──────────┤
│ 3f2a1b │ npm_…   │ 2024-05-02 │ no       │
└────────┴─────────┴────────────┴──────────┘"""),
("response", """Received webhook with header Stripe-Signature: t=1718101234,v1=«hex64»"""),
("response", """X-Hub-Signature-256: sha256=«hex64»"""),
("response", """Content-Security-Policy: script-src 'self' 'nonce-«b64:24»'"""),
("response", """ETag: W/"«hex32»\""""),
("response", """uuidgen output: «uuid»"""),
("response", """Hash of the password (bcrypt): $2b$12$«b64:53»"""),
("response", """Build «hex40» passed on branch main in 4m 12s."""),
("response", """Ticket JIRA-4821: rotate the leaked key. Status: Done. The old key was revoked on 2024-06-03."""),
("response", """Notion page: https://www.notion.so/northwind/Runbook-«hex32»"""),
("response", """Figma file: https://www.figma.com/file/«an:22»/Checkout-Redesign?node-id=12-345"""),
("response", """Loom: https://www.loom.com/share/«hex32»"""),
("response", """Google Doc: https://docs.google.com/document/d/1«an:43»/edit"""),
("response", """AKIA is the prefix of long-term AWS access key ids; ASIA marks temporary ones."""),
("response", """Error: secret "db-creds" not found in namespace "payments\""""),
("response", """hf_hub_download(repo_id="sentence-transformers/all-MiniLM-L6-v2", filename="config.json")"""),
("response", """Successfully installed slack-sdk-3.27.1 stripe-9.9.0 openai-1.30.1 anthropic-0.28.0"""),
("response", """Base64 of hello world: aGVsbG8gd29ybGQ="""),
("response", """npm notice package: @northwind/sdk@2.3.0
npm notice shasum: «hex40»
npm notice integrity: sha512-«b64:30»[...]«b64:20»=="""),
("response", """pip download output: Saved ./wheels/cryptography-42.0.8-cp39-abi3-manylinux_2_28_x86_64.whl (sha256=«hex64»)"""),
("response", """Session ID: «hex32» (anonymous)"""),
("response", """The Telegram chat id is -1001234567890 and the message id is 4821."""),
("response", """Timestamps: 1718101234567, 1718101299999; duration 65432 ms"""),
("response", """Azure subscription «uuid», tenant «uuid», resource group rg-prod-weu"""),
("response", """client_id: «uuid»
tenant_id: «uuid»"""),
("response", """{"kid": "«hex40»", "x5t": "«b64u:27»", "alg": "RS256"}"""),
("response", """GitHub Actions: uses: actions/checkout@«hex40»"""),
("response", """Cloudflare Ray ID: «hex16»-FRA"""),
# --- tool descriptions (tool-listing) ---------------------------------------------
("tool-listing", """Creates a new API key for the current project. Returns the key once; it cannot be retrieved later. Parameters: name (string), scopes (array of strings)."""),
("tool-listing", """Authenticate with GitHub using a personal access token (classic tokens start with ghp_, fine-grained tokens with github_pat_). The token is read from the GITHUB_TOKEN environment variable."""),
("tool-listing", """Run a SQL query against the analytics warehouse. Connection details (host, user, password) are configured on the server; never pass credentials as arguments."""),
("tool-listing", """Send a message to a Slack channel. Requires the bot token scope chat:write. Arguments: channel (e.g. #general), text."""),
("tool-listing", """Rotate a secret in AWS Secrets Manager. Input: secret_id (ARN or name). Output: the new version id."""),
("tool-listing", """Decode a JWT and show its header and claims without verifying the signature. Input: token (string)."""),
("tool-listing", """Store a credential in the team vault. password: the value to store (write-only, never returned)."""),
# --- request arguments ------------------------------------------------------------
("request", """Find all orders for customer cus_«an:14» placed after 2024-05-01"""),
("request", """{"repo": "northwind/web", "sha": "«hex40»", "path": "src/auth/token.ts"}"""),
("request", """{"query": "SELECT * FROM api_keys WHERE revoked = false LIMIT 10"}"""),
("request", """How do I rotate my Stripe secret key without downtime?"""),
("request", """Explain what an AWS access key id (AKIA...) is and how it differs from a secret access key."""),
("request", """{"password_length": 24, "include_symbols": true}"""),
("request", """{"secret_name": "prod/payments/stripe", "version_stage": "AWSCURRENT"}"""),
("request", """Search the codebase for hardcoded passwords and API keys and list the files."""),
("request", """{"trace_id": "«hex32»", "service": "checkout"}"""),
("request", """{"token_type": "bearer", "expires_in": 3600}"""),
("request", """Generate a UUID for the new tenant: «uuid»"""),
("request", """{"url": "https://api.github.com/repos/northwind/web/commits/«hex40»"}"""),
("request", """Open https://github.com/northwind/web/pull/1432/files#diff-«hex64»"""),
("request", """{"key": "user:48213:profile", "ttl": 3600}"""),
("request", """Reset the password for user mkowalski and email them the reset link."""),
("request", """{"api_key_id": "key_«an:16»", "action": "revoke"}"""),
]
