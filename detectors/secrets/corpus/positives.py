# Positive samples: (phase, text). «kind» is replaced by a fresh fake token of that kind.
POS = [
# --- .env dumps / config files -------------------------------------------------
("response", """# .env.production
NODE_ENV=production
PORT=8080
DATABASE_URL=postgres://orders_svc:«pw»@orders-db.c9x2k1.eu-west-1.rds.amazonaws.com:5432/orders
REDIS_URL=redis://cache.internal:6379/0
STRIPE_SECRET_KEY=«sklive»
SENTRY_ENVIRONMENT=production"""),
("response", """[default]
aws_access_key_id = «akia»
aws_secret_access_key = «awssecret»
region = us-east-1"""),
("response", """$ cat ~/.aws/credentials
[prod-admin]
aws_access_key_id=«asia»
aws_secret_access_key=«awssecret»
aws_session_token=«awssession»"""),
("response", """{
  "type": "service_account",
  "project_id": "billing-exports-prod",
  "private_key_id": "«hex40»",
  "private_key": "-----BEGIN PRIVATE KEY-----\\n«b64:64»\\n«b64:64»\\n«b64:64»\\n«b64:64»\\n«b64:40»==\\n-----END PRIVATE KEY-----\\n",
  "client_email": "exporter@billing-exports-prod.iam.gserviceaccount.com",
  "client_id": "104829374650192837465"
}"""),
("response", """File: config/settings.py (lines 12-20)
DEBUG = False
ALLOWED_HOSTS = ["api.shopfront.io"]
OPENAI_API_KEY = "«skproj»"
OPENAI_MODEL = "gpt-4o-mini"
CELERY_BROKER_URL = "amqp://worker:«pw»@mq.shopfront.internal:5672//\""""),
("response", """version: '3.8'
services:
  api:
    image: registry.acme.dev/api:2.14.1
    environment:
      - ANTHROPIC_API_KEY=«ant»
      - LOG_LEVEL=info
    ports:
      - "8000:8000\""""),
("response", """//registry.npmjs.org/:_authToken=«npm»
@acme:registry=https://npm.pkg.github.com/
always-auth=true"""),
("response", """[distutils]
index-servers = pypi

[pypi]
username = __token__
password = «pypi»"""),
("response", """# ~/.docker/config.json
{
  "auths": {
    "https://index.docker.io/v1/": {
      "auth": "«dockerauth»"
    }
  }
}"""),
("response", """terraform {
  cloud {
    organization = "northwind"
  }
}
# credentials.tfrc.json
{"credentials": {"app.terraform.io": {"token": "«tfc»"}}}"""),
("response", """heroku config --app payments-api
=== payments-api Config Vars
DATABASE_URL:          postgres://u9d8f7:«pw»@ec2-54-73-1-22.eu-west-1.compute.amazonaws.com:5432/d4kq1
HEROKU_API_KEY:        «uuid»
PAPERTRAIL_API_TOKEN:  «gltoken»"""),
("response", """spring:
  datasource:
    url: jdbc:mysql://mysql-prod.internal:3306/inventory
    username: inventory_rw
    password: «pw»
  jpa:
    hibernate:
      ddl-auto: validate"""),
("response", """<connectionStrings>
  <add name="Main" connectionString="Server=tcp:sql-prod-01.database.windows.net,1433;Initial Catalog=crm;User ID=crm_app;Password=«pw»;Encrypt=True;" />
</connectionStrings>"""),
("response", """DefaultEndpointsProtocol=https;AccountName=stcontosoprod;AccountKey=«azkey»;EndpointSuffix=core.windows.net"""),
("response", """Endpoint=sb://contoso-events.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=«sbkey»"""),
("response", """Blob upload URL (valid 24h):
https://stcontosoprod.blob.core.windows.net/exports/report-2024-06.csv?sv=2022-11-02&ss=b&srt=sco&sp=rwdlacupiytfx&se=2024-07-01T18:00:00Z&st=2024-06-01T10:00:00Z&spr=https&sig=«sassig»"""),
("response", """kubectl get secret ci-tokens -o yaml
apiVersion: v1
kind: Secret
metadata:
  name: ci-tokens
stringData:
  GITLAB_TOKEN: «glpat»
  SONAR_TOKEN: «sqp»"""),
("response", """machine github.com
  login octo-deployer
  password «ghp»
machine api.heroku.com login ops@northwind.io password «uuid»"""),
("response", """[user]
  name = Build Bot
[url "https://oauth2:«glpat»@gitlab.com/"]
  insteadOf = https://gitlab.com/"""),
("response", """SLACK_BOT_TOKEN=«xoxb»
SLACK_SIGNING_SECRET=«hex32»
SLACK_APP_TOKEN=«xapp»"""),
("response", """# alerting.yml
receivers:
  - name: ops-slack
    slack_configs:
      - api_url: «slackhook»
        channel: '#ops-alerts'"""),
("response", """notifier:
  discord_webhook: «dischook»
  telegram:
    bot_token: "«tg»"
    chat_id: -1001234567890"""),
("response", """const config = {
  region: 'eu-central-1',
  mapboxToken: '«mapbox»',
  sendgridKey: '«sg»',
};
export default config;"""),
("response", """# Datadog agent
api_key: «hex32»
site: datadoghq.eu
logs_enabled: true
# DD_APP_KEY used by the monitors sync job
DD_APP_KEY=«hex40»"""),
("response", """TWILIO_ACCOUNT_SID=«twac»
TWILIO_AUTH_TOKEN=«hex32»
TWILIO_FROM=+15005550006"""),
("response", """MAILGUN_DOMAIN=mg.northwind.io
MAILGUN_API_KEY=«mgkey»
MAILCHIMP_API_KEY=«mc»"""),
("response", """[remote "origin"]
	url = https://x-access-token:«ghs»@github.com/northwind/infra.git
	fetch = +refs/heads/*:refs/remotes/origin/*"""),
("response", """vault login output:
Key                  Value
---                  -----
token                «hvslong»
token_accessor       «gltoken»
token_duration       768h"""),
("response", """HF_TOKEN=«hf»
WANDB_API_KEY=«hex40»
GROQ_API_KEY=«gsk»
REPLICATE_API_TOKEN=«r8»"""),
("response", """# ~/.config/gh/hosts.yml
github.com:
    user: mkowalski
    oauth_token: «gho»
    git_protocol: https"""),
("response", """DIGITALOCEAN_TOKEN=«dop»
CLOUDFLARE_API_TOKEN=«cftoken»
FLY_API_TOKEN=«fo1»"""),
("response", """shopify.app.toml
client_id = "a1b2c3d4e5f6"
[auth]
# admin api access token for the custom app
access_token = "«shpat»"
api_secret = "«shpss»\""""),
("response", """DOPPLER_TOKEN=«dpst»
LINEAR_API_KEY=«linapi»
NEW_RELIC_API_KEY=«nrak»"""),
("response", """notion:
  integration_token: «notion»
  database_id: 8a1f2c3d4e5f60718293a4b5c6d7e8f9"""),
("response", """# pulumi stack output
PULUMI_ACCESS_TOKEN=«pul»
POSTMAN_API_KEY=«pmak»"""),
("response", """SENTRY_AUTH_TOKEN=«sntrys»
SENTRY_ORG=northwind
SENTRY_PROJECT=web"""),
("response", """SQUARE_ACCESS_TOKEN=«sqatp»
SQUARE_APPLICATION_SECRET=«sqcsp»"""),
("response", """# keys.txt generated by age-keygen
# created: 2024-05-02T10:14:33+02:00
# public key: age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p
«age»"""),
("response", """SUPABASE_URL=https://xyzcompany.supabase.co
SUPABASE_ACCESS_TOKEN=«sbp»"""),
("response", """[tool.poetry.source]
# private index
url = "https://__token__:«gltoken»@gitlab.example-corp.net/api/v4/projects/42/packages/pypi/simple\""""),
("response", """PERPLEXITY_API_KEY=«pplx»
XAI_API_KEY=«xai»
MISTRAL_API_KEY=«mistral»
COHERE_API_KEY=«cohere»"""),
("response", """netlify.toml has no secrets; the deploy step uses
NETLIFY_AUTH_TOKEN=«nfp»
VERCEL_TOKEN=«vercel»"""),
("response", """TAVILY_API_KEY=«tvly»
OPENROUTER_API_KEY=«orv1»
LANGCHAIN_API_KEY=«lsv2»
PINECONE_API_KEY=«pcsk»"""),
("response", """OP_SERVICE_ACCOUNT_TOKEN=«ops»"""),
("response", """buildkite-agent.cfg
token="«hex40»"
# api token for pipeline uploads
BUILDKITE_API_TOKEN=«bkua»"""),
("response", """~/.gem/credentials
---
:rubygems_api_key: «rubygems»"""),
("response", """pscale connect output
host: aws.connect.psdb.cloud
username: 3k2j1h4g5f6d
password: «pscalepw»"""),
("response", """DT_API_TOKEN=«dt»
BREVO_API_KEY=«brevo»
HUBSPOT_ACCESS_TOKEN=«hubspot»"""),
("response", """airtable:
  base: appX9k2LmN3pQ4rS5
  token: «airtable»"""),
("response", """ALIBABA_CLOUD_ACCESS_KEY_ID=«ltai»
ALIBABA_CLOUD_ACCESS_KEY_SECRET=«gltoken»9q"""),
("response", """firebase:
  messaging_server_key: «fcm»"""),
("response", """GOOGLE_CLIENT_ID=948573620184-8f7a6s5d4f3g2h1j0k9l8m7n6b5v4c3x.apps.googleusercontent.com
GOOGLE_CLIENT_SECRET=«gocspx»"""),
("response", """{"installed":{"client_id":"32555940559.apps.googleusercontent.com","refresh_token":"«refresh»","token_uri":"https://oauth2.googleapis.com/token"}}"""),
("response", """maps:
  google_api_key: «aiza»"""),
("response", """DATABRICKS_HOST=https://adb-5555555555555555.19.azuredatabricks.net
DATABRICKS_TOKEN=«dapi»"""),
("response", """atlassian:
  email: ops@northwind.io
  api_token: «atatt»"""),
("response", """FIGMA_TOKEN=«figd»
GRAFANA_SERVICE_ACCOUNT_TOKEN=«glsa»"""),
("response", """grafana-cloud:
  stack: northwind-prod
  access_policy_token: «glc»"""),
("response", """OKTA_ORG_URL=https://northwind.okta.com
OKTA_API_TOKEN=«okta»"""),
("response", """mongodb+srv://analytics_ro:«pw»@cluster0.x7k2p.mongodb.net/events?retryWrites=true&w=majority"""),
("response", """Connecting to redis://default:«pw»@redis-16843.c281.us-east-1-2.ec2.cloud.redislabs.com:16843 ..."""),
("response", """ldap:
  url: ldaps://cn=svc-jenkins,ou=service,dc=corp,dc=local:«pw»@ldap.corp.local:636"""),
("response", """smtp_url = smtps://alerts@northwind.io:«pw»@smtp.gmail.com:465"""),
("response", """Backup target: ftp://backup:«pw»@files.northwind-backup.net/nightly/"""),
("response", """<settings>
  <servers>
    <server>
      <id>nexus-releases</id>
      <username>deployer</username>
      <password>«pw»</password>
    </server>
  </servers>
</settings>"""),
("response", """# wp-config.php
define( 'DB_NAME', 'wp_prod' );
define( 'DB_USER', 'wp_user' );
define( 'DB_PASSWORD', '«pw»' );
define( 'DB_HOST', 'mysql.internal' );"""),
("response", """appsettings.Production.json
{
  "Jwt": {
    "Issuer": "https://auth.northwind.io",
    "SigningKey": "«b64:44»"
  }
}"""),
("response", """rails credentials:show
secret_key_base: «hex40»«hex40»«hex32»
aws:
  access_key_id: «akia»
  secret_access_key: «awssecret»"""),
("response", """env | grep -i token
GITHUB_TOKEN=«ghp»
CI_JOB_TOKEN=«glcbt»
HOME=/home/runner"""),
("response", """-----BEGIN RSA PRIVATE KEY-----
«b64:64»
«b64:64»
«b64:64»
«b64:64»
«b64:64»
«b64:32»==
-----END RSA PRIVATE KEY-----"""),
("response", """$ cat ~/.ssh/id_ed25519
-----BEGIN OPENSSH PRIVATE KEY-----
b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW
QyNTUxOQAAACD«b64:47»AAAAJh«b64:30»
AAAAC3NzaC1lZDI1NTE5AAAAI«b64:51»
«b64:60»
-----END OPENSSH PRIVATE KEY-----"""),
("response", """server.key:
-----BEGIN EC PRIVATE KEY-----
MHcCAQEEI«b64:55»
oAoGCCqGSM49AwEHoUQDQgAE«b64:62»
«b64:24»==
-----END EC PRIVATE KEY-----"""),
("response", """-----BEGIN PGP PRIVATE KEY BLOCK-----

lQdGBGQ«b64:61»
«b64:64»
«b64:64»
«b64:64»
=«b64:4»
-----END PGP PRIVATE KEY BLOCK-----"""),
("response", """PuTTY-User-Key-File-3: ssh-rsa
Encryption: none
Comment: rsa-key-20240301
Public-Lines: 2
AAAAB3NzaC1yc2EAAAADAQABAAABAQC«b64:33»
«b64:64»
Key-Derivation: none
Private-Lines: 3
AAABAQ«b64:58»
«b64:64»
«b64:40»
Private-MAC: «hex40»«hex32»"""),
("response", """-----BEGIN ENCRYPTED PRIVATE KEY-----
MIIFHDBOBgkqhkiG9w0BBQ0wQTApBgkqhkiG9w0BBQwwHAQI«b64:16»
«b64:64»
«b64:64»
«b64:64»
-----END ENCRYPTED PRIVATE KEY-----"""),
("response", """apiVersion: v1
clusters:
- cluster:
    server: https://10.20.0.5:6443
  name: prod
users:
- name: admin
  user:
    client-certificate-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUM«b64:60»
    client-key-data: «b64pem»"""),
("response", """{"keys":[{"kty":"RSA","kid":"2024-rotation","use":"sig","n":"«b64u:342»","e":"AQAB","d":"«b64u:342»","p":"«b64u:171»","q":"«b64u:171»"}]}"""),
# --- logs, stack traces --------------------------------------------------------
("response", """2024-06-11T09:14:22.418Z ERROR [payments] stripe request failed: StripeAuthenticationError: Invalid API Key provided: «sklive»
    at StripeResource._handleResponse (/app/node_modules/stripe/lib/StripeResource.js:212:15)
    at processTicksAndRejections (node:internal/process/task_queues:95:5)"""),
("response", """Traceback (most recent call last):
  File "/srv/app/jobs/sync.py", line 88, in run
    client = OpenAI(api_key="«skproj»")
  File "/srv/app/.venv/lib/python3.11/site-packages/openai/_client.py", line 104, in __init__
openai.AuthenticationError: Error code: 401 - {'error': {'message': 'Incorrect API key provided'}}"""),
("response", """[2024-06-10 22:01:09] DEBUG http.client: send: b'GET /v2/users HTTP/1.1\\r\\nHost: api.northwind.io\\r\\nAuthorization: Bearer «jwt»\\r\\nAccept: */*\\r\\n\\r\\n'"""),
("response", """INFO  o.a.k.c.c.internals.ConsumerCoordinator - connecting with sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="svc-orders" password="«pw»";"""),
("response", """W0611 08:12:44.120  1 reflector.go:424] failed to list *v1.Secret: Unauthorized; token=«jwt»"""),
("response", """level=error msg="upstream auth failed" url="https://api.notion.com/v1/pages" header_authorization="Bearer «ntn»" status=401"""),
("response", """2024/06/09 11:43:10 github: POST https://api.github.com/repos/northwind/web/statuses: 401 Bad credentials []
token in use: «ghpat»"""),
("response", """Exception in thread "main" com.amazonaws.services.s3.model.AmazonS3Exception: The AWS Access Key Id you provided does not exist in our records. (Service: Amazon S3; Status Code: 403; Error Code: InvalidAccessKeyId; Request ID: 5W0B6J1A9X2Y3Z4Q)
	credentials: BasicAWSCredentials(accessKey=«akia», secretKey=«awssecret»)"""),
("response", """[worker-3] Retrying webhook delivery to «slackhook» (attempt 2/5)"""),
("response", """sentry_sdk.init(dsn=..., ) # debug: using SENTRY_AUTH_TOKEN «sntrys» for release upload"""),
("response", """npm ERR! code E401
npm ERR! Unable to authenticate, your authentication token seems to be invalid.
npm ERR! To correct this please trying logging in again with:
npm ERR!     npm login
npm verb token «npm»"""),
("response", """Run docker login -u northwindci -p «dckr» registry-1.docker.io
WARNING! Using --password via the CLI is insecure. Use --password-stdin."""),
("response", """[pipeline] curl -s -X POST "https://gitlab.com/api/v4/projects/1234/trigger/pipeline" -F token=«glptt» -F ref=main"""),
("response", """Slack API call failed: {"ok":false,"error":"invalid_auth"} token=«xoxp»"""),
("response", """ERROR huggingface_hub.utils._errors: 401 Client Error. Token «hf» is not valid for repo meta-llama/Llama-3-8B"""),
("response", """DEBUG anthropic._base_client: Request options: {'method': 'post', 'url': '/v1/messages', 'headers': {'x-api-key': '«ant»'}}"""),
("response", """mysql: [Warning] Using a password on the command line interface can be insecure.
+ mysql -h db-replica-2 -u reporting -p'«pw»' -e 'select count(*) from orders'"""),
("response", """panic: dial tcp: lookup broker: no such host
goroutine 1 [running]:
main.main()
	/src/cmd/worker/main.go:41 +0x1a5
amqpURL="amqps://orders:«pw»@b-1234abcd.mq.eu-west-1.amazonaws.com:5671\""""),
("response", """Response headers:
HTTP/1.1 200 OK
Set-Cookie: session=abc; HttpOnly
X-Debug-Upstream-Auth: Basic «basicauth»"""),
# --- curl commands -------------------------------------------------------------
("response", """curl https://api.openai.com/v1/chat/completions \\
  -H "Content-Type: application/json" \\
  -H "Authorization: Bearer «sklegacy»" \\
  -d '{"model": "gpt-4", "messages": [{"role": "user", "content": "hi"}]}'"""),
("response", """curl -u «twac»:«hex32» https://api.twilio.com/2010-04-01/Accounts.json"""),
("response", """curl -X POST https://api.sendgrid.com/v3/mail/send -H 'Authorization: Bearer «sg»' -H 'Content-Type: application/json'"""),
("response", """curl -H "X-Auth-Email: ops@northwind.io" -H "X-Auth-Key: «hex37»" https://api.cloudflare.com/client/v4/zones"""),
("response", """curl -s https://api.mailgun.net/v3/mg.northwind.io/messages --user 'api:«mgkey»' -F from='ops@northwind.io'"""),
("response", """curl -H "DD-API-KEY: «hex32»" -H "DD-APPLICATION-KEY: «hex40»" "https://api.datadoghq.com/api/v1/validate\""""),
("response", """curl -H "Authorization: SSWS «okta»" https://northwind.okta.com/api/v1/users?limit=25"""),
("response", """curl "https://api.telegram.org/bot«tg»/sendMessage?chat_id=42&text=deploy%20done\""""),
("response", """curl -H "PRIVATE-TOKEN: «glpat»" https://gitlab.com/api/v4/projects"""),
("response", """curl -X POST https://northwind-fn.azurewebsites.net/api/ingest?code=«b64u:54»== -d @payload.json"""),
("response", """curl -H "Ocp-Apim-Subscription-Key: «hex32»" https://northwind.azure-api.net/orders/v1/health"""),
("response", """wget --header="Authorization: token «ghp»" https://raw.githubusercontent.com/northwind/private-repo/main/deploy.sh"""),
("response", """curl https://api.stripe.com/v1/charges -u «rklive»: -d amount=2000 -d currency=eur"""),
("response", """http GET https://api.linear.app/graphql Authorization:«linapi»"""),
("response", """curl -H "Authorization: Bearer «hvs»" $VAULT_ADDR/v1/secret/data/app  # VAULT_ADDR=https://vault.northwind.io:8200"""),
("response", """curl https://maps.googleapis.com/maps/api/geocode/json?address=Berlin&key=«aiza»"""),
("response", """curl -H "xi-api-key: «hex32»" https://api.elevenlabs.io/v1/voices"""),
("response", """psql "postgresql://analyst:«pw»@warehouse.northwind.io:5432/dwh?sslmode=require" -c '\\dt'"""),
("response", """curl -H 'Authorization: Bearer «doo»' https://api.digitalocean.com/v2/droplets"""),
("response", """git clone https://deploy-bot:«ghp»@github.com/northwind/secrets-infra.git"""),
("response", """curl -H "Authorization: token «glrt»" https://gitlab.northwind.io/api/v4/runners/verify"""),
("response", """curl -H "api-key: «hex32»" https://northwind-openai.openai.azure.com/openai/deployments/gpt4/chat/completions?api-version=2024-02-01  # AZURE_OPENAI_KEY"""),
# --- chat/tool outputs with prose ---------------------------------------------
("response", """Here is the rotated admin password for the staging database, please store it in the vault: password is «pw»"""),
("response", """I found the following in the repository's CI settings: the Heroku deploy uses HEROKU_API_KEY=«uuid» and the Fly deploy uses a token «fo1»."""),
("response", """Summary of secrets found in the uploaded zip:
1. config/prod.yml -> stripe secret key «sklive»
2. scripts/deploy.sh -> DigitalOcean token «dop»"""),
("response", """Your new API key has been created. Copy it now, you won't be able to see it again:

«skproj»"""),
("response", """Personal access token created for user 'release-bot' with scopes api, write_repository: «glpat» (expires 2025-06-30)"""),
("response", """Created service account key. Token: «dppt»"""),
("response", """The webhook secret for endpoint we_1PQx is «whsec»"""),
("response", """Result row 1: {"id": 88, "name": "prod-github", "kind": "github_app", "credential": "«ghs»", "created_at": "2024-05-01"}"""),
("response", """Anthropic Console: Admin key created.
«antadmin»"""),
("response", """| name | value |
|------|-------|
| OPENAI_API_KEY | «svcacct» |
| REGION | eu |"""),
("response", """SELECT id, provider, api_key FROM integrations LIMIT 3;
 id | provider  | api_key
----+-----------+------------------------------------------
  1 | sendgrid  | «sg»
  2 | mailchimp | «mc»
  3 | twilio    | «twsk»"""),
("response", """The bot authenticates with Discord using token «discord»"""),
("response", """Found credentials in browser export: https://ops:«pw»@grafana.northwind.io/login"""),
("response", """Saved connection 'prod-replica':
  Host: 10.4.2.17
  Port: 5432
  User: replicator
  Password: «pw»"""),
("response", """Tool call log: create_repo_secret(name="NPM_TOKEN", value="«npm»") -> ok"""),
("response", """GCP OAuth access token (expires in 3599s): «ya29»"""),
("response", """{"access_token":"«jwt»","token_type":"Bearer","expires_in":3600,"refresh_token":"«b64u:48»"}"""),
("response", """Azure AD app registration 'northwind-sync' new client secret value: «azad» (expires 2026-01-01)"""),
("response", """The Grafana alert contact point uses Microsoft Teams: https://northwind.webhook.office.com/webhookb2/«uuid»@«uuid»/IncomingWebhook/«hex32»/«uuid»"""),
("response", """wrangler secret list
[{"name":"CF_API_TOKEN","type":"secret_text"}]
export CLOUDFLARE_API_TOKEN=«cftoken»"""),
("response", """age-keygen -o key.txt
Public key: age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p
$ cat key.txt | tail -1
«age»"""),
("response", """Kibana saved object export: {"attributes":{"url":"https://elastic:«pw»@es-prod.northwind.io:9243"}}"""),
("response", """New Relic license_key: «hex36»NRAL"""),
("response", """Salesforce session: «sfdc»"""),
("response", """jfrog:
  url: https://northwind.jfrog.io
  apiKey: AKCp«an:69»"""),
("response", """[settings] CIRCLECI_TOKEN=CCIPAT_«an:22»_«hex40»"""),
("response", """PAGERDUTY_ROUTING_KEY=«hex32»
PAGERDUTY_API_TOKEN=u+«an:18»"""),
("response", """ENV FACEBOOK_APP_SECRET=«hex32»
ENV FACEBOOK_PAGE_TOKEN=EAA«an:160»"""),
("response", """twitch:
  client_id: «twitch»
  client_secret: «twitch»"""),
("response", """algolia:
  app_id: HX7K2P9Q1L
  admin_api_key: «hex32»"""),
("response", """export SNYK_TOKEN=«uuid»"""),
("response", """CONFLUENCE_API_TOKEN=«an:24»"""),
("response", """AUTH0_DOMAIN=northwind.eu.auth0.com
AUTH0_CLIENT_SECRET=«an:64»"""),
("response", """PAYPAL_CLIENT_ID=AZ«an:78»
PAYPAL_CLIENT_SECRET=E«an:79»"""),
# --- request arguments ---------------------------------------------------------
("request", """Please add this to the repo secrets: GITHUB_TOKEN=«ghp»"""),
("request", """Deploy the staging stack with AWS creds «akia» / «awssecret»"""),
("request", """{"api_key": "«hex32»", "endpoint": "https://api.northwind.io/v2"}"""),
("request", """Connect to postgres://admin:«pw»@10.0.12.5:5432/payments and list the tables"""),
("request", """Use this Stripe key for the test refund: «sklive»"""),
("request", """set the OPENAI_API_KEY to «sklegacy» in the .env file"""),
("request", """-----BEGIN RSA PRIVATE KEY-----
«b64:64»
«b64:64»
«b64:64»
«b64:64»
-----END RSA PRIVATE KEY-----"""),
("request", """curl -H "Authorization: Bearer «ant»" https://api.anthropic.com/v1/models"""),
("request", """slack token: «xoxb»"""),
("request", """Here's my huggingface token so you can pull the gated model: «hf»"""),
("request", """password=«pw»"""),
("request", """Please store «dop» as DO_TOKEN"""),
("request", """Update the webhook to «dischook»"""),
("request", """The SendGrid key «sg» stopped working, can you check why?"""),
("request", """glpat for CI: «glpat»"""),
("request", """Login with user ops and password «pw»; then run the migration."""),
("request", """export DATABRICKS_TOKEN=«dapi»"""),
("request", """Authorization: Basic «basicauth»"""),
("request", """{"headers": {"X-API-Key": "«an:40»"}, "url": "https://partner.example-api.net/v1/orders"}"""),
("request", """az storage blob upload --connection-string "DefaultEndpointsProtocol=https;AccountName=stbackup01;AccountKey=«azkey»;EndpointSuffix=core.windows.net" -f dump.sql"""),
("request", """Remember this for later: my Vault token is «hvs»"""),
("request", """ssh-add this key please: -----BEGIN OPENSSH PRIVATE KEY-----\\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\\nQyNTUxOQAAACD«b64:47»AAAAJh«b64:30»\\n«b64:60»\\n-----END OPENSSH PRIVATE KEY-----"""),
("request", """Run: redis-cli -u rediss://default:«pw»@redis-prod.northwind.io:6380 INFO"""),
("request", """the figma token is «figd», export all frames from the design file"""),
("request", """Set SUPABASE_SERVICE_ROLE_KEY=«jwtservice»"""),
("request", """use telegram bot «tg» to notify the channel"""),
("request", """client_secret=«gocspx»&grant_type=refresh_token&refresh_token=«refresh»"""),
("request", """Add a GitHub Actions secret: name PYPI_API_TOKEN, value «pypi»"""),
("request", """curl "https://api.example-weather.net/v1/forecast?city=Oslo&apikey=«an:32»\""""),
("request", """atlas login --token «tfc»"""),
("request", """--api-key «an:48» --region eu-west-1"""),
]
