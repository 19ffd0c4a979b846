# Fake credential generators that respect each format (checksums included).
import random, string, zlib, base64, json
R = random.Random(20240611)
AN = string.ascii_letters + string.digits
HEX = '0123456789abcdef'
B62 = string.digits + string.ascii_uppercase + string.ascii_lowercase
def r(n, alpha=AN): return ''.join(R.choice(alpha) for _ in range(n))
def b62(n):
    out=''
    while n: out = B62[n%62]+out; n//=62
    return out.rjust(6,'0')
def crc_tok(prefix):
    body = r(30)
    return prefix + body + b62(zlib.crc32(body.encode()))
def b64url(b): return base64.urlsafe_b64encode(b).rstrip(b'=').decode()
def jwt(payload, alg='HS256'):
    h = b64url(json.dumps({"alg":alg,"typ":"JWT"},separators=(',',':')).encode())
    p = b64url(json.dumps(payload,separators=(',',':')).encode())
    return f"{h}.{p}.{r(43, AN+'-_')}"
def discord():
    uid = str(R.randint(10**17, 10**18*9))
    return base64.b64encode(uid.encode()).decode().rstrip('=') + '.' + r(6, AN+'-_') + '.' + r(38, AN+'-_')
T = {
 'akia': lambda: 'AKIA' + r(16, string.ascii_uppercase+'234567'),
 'asia': lambda: 'ASIA' + r(16, string.ascii_uppercase+'234567'),
 'awssecret': lambda: r(40, AN+'/+'),
 'awssession': lambda: 'IQoJb3JpZ2luX2VjE' + r(300, AN+'/+') + '==',
 'aiza': lambda: 'AIza' + r(35, AN+'_-'),
 'gocspx': lambda: 'GOCSPX-' + r(28, AN+'_-'),
 'refresh': lambda: '1//0' + r(99, AN+'_-'),
 'ya29': lambda: 'ya29.' + r(150, AN+'_-'),
 'azkey': lambda: r(86, AN+'+/') + '==',
 'sbkey': lambda: r(43, AN+'+/') + '=',
 'azad': lambda: r(3, AN) + str(R.randint(0,9)) + 'Q~' + r(34, AN+'_~.-'),
 'sassig': lambda: r(43, AN+'+/').replace('+','%2B').replace('/','%2F') + '%3D',
 'ghp': lambda: crc_tok('ghp_'), 'gho': lambda: crc_tok('gho_'), 'ghu': lambda: crc_tok('ghu_'),
 'ghs': lambda: crc_tok('ghs_'), 'ghr': lambda: crc_tok('ghr_'),
 'ghpat': lambda: 'github_pat_' + r(22) + '_' + r(59),
 'glpat': lambda: 'glpat-' + r(20, AN+'_-'),
 'gldt': lambda: 'gldt-' + r(20, AN+'_-'), 'glrt': lambda: 'glrt-' + r(20, AN+'_-'),
 'glcbt': lambda: 'glcbt-' + r(20, AN+'_-'), 'glptt': lambda: 'glptt-' + r(40, HEX),
 'xoxb': lambda: f"xoxb-{R.randint(10**11,10**12)}-{R.randint(10**12,10**13)}-{r(24)}",
 'xoxp': lambda: f"xoxp-{R.randint(10**11,10**12)}-{R.randint(10**11,10**12)}-{R.randint(10**12,10**13)}-{r(32,HEX)}",
 'xapp': lambda: f"xapp-1-A{r(10,string.ascii_uppercase+string.digits)}-{R.randint(10**12,10**13)}-{r(64,HEX)}",
 'slackhook': lambda: f"https://hooks.slack.com/services/T{r(10,string.ascii_uppercase+string.digits)}/B{r(10,string.ascii_uppercase+string.digits)}/{r(24)}",
 'sklive': lambda: 'sk_live_' + r(99), 'rklive': lambda: 'rk_live_' + r(99), 'pklive': lambda: 'pk_live_' + r(99),
 'sktest': lambda: 'sk_test_' + r(99), 'whsec': lambda: 'whsec_' + r(32),
 'skproj': lambda: 'sk-proj-' + r(74, AN+'_-') + 'T3BlbkFJ' + r(74, AN+'_-'),
 'svcacct': lambda: 'sk-svcacct-' + r(74, AN+'_-') + 'T3BlbkFJ' + r(74, AN+'_-'),
 'sklegacy': lambda: 'sk-' + r(20) + 'T3BlbkFJ' + r(20),
 'skadmin': lambda: 'sk-admin-' + r(74, AN+'_-') + 'T3BlbkFJ' + r(74, AN+'_-'),
 'ant': lambda: 'sk-ant-api03-' + r(93, AN+'_-') + 'AA',
 'antadmin': lambda: 'sk-ant-admin01-' + r(93, AN+'_-') + 'AA',
 'hf': lambda: 'hf_' + r(34, string.ascii_letters),
 'twsk': lambda: 'SK' + r(32, HEX), 'twac': lambda: 'AC' + r(32, HEX), 'hex32': lambda: r(32, HEX), 'hex40': lambda: r(40,HEX),
 'sg': lambda: 'SG.' + r(22, AN+'_-') + '.' + r(43, AN+'_-'),
 'mgkey': lambda: 'key-' + r(32, HEX), 'mgnew': lambda: r(32,HEX)+'-'+r(8,HEX)+'-'+r(8,HEX),
 'mc': lambda: r(32, HEX) + '-us' + str(R.randint(1,21)),
 'npm': lambda: crc_tok('npm_'),
 'pypi': lambda: 'pypi-AgEIcHlwaS5vcmc' + r(160, AN+'_-'),
 'dckr': lambda: 'dckr_pat_' + r(27, AN+'_-'),
 'hrku': lambda: 'HRKU-AA' + r(58, AN+'_-'),
 'uuid': lambda: f"{r(8,HEX)}-{r(4,HEX)}-4{r(3,HEX)}-a{r(3,HEX)}-{r(12,HEX)}",
 'dop': lambda: 'dop_v1_' + r(64, HEX), 'doo': lambda: 'doo_v1_' + r(64, HEX),
 'shpat': lambda: 'shpat_' + r(32, HEX), 'shpss': lambda: 'shpss_' + r(32, HEX),
 'atatt': lambda: 'ATATT3xFfGF0' + r(180, AN+'_-') + '=' + r(8, HEX.upper()),
 'discord': discord,
 'dischook': lambda: f"https://discord.com/api/webhooks/{R.randint(10**17,10**18)}/{r(68, AN+'_-')}",
 'tg': lambda: f"{R.randint(10**8, 10**10-1)}:AA{r(33, AN+'_-')}",
 'cftoken': lambda: r(40, AN+'_-'),
 'dapi': lambda: 'dapi' + r(32, HEX),
 'dppt': lambda: 'dp.pt.' + r(43), 'dpst': lambda: 'dp.st.prd.' + r(43),
 'figd': lambda: 'figd_' + r(40, AN+'_-'),
 'glc': lambda: 'glc_' + r(100, AN+'+/') + '==', 'glsa': lambda: 'glsa_' + r(32) + '_' + r(8, HEX),
 'hvs': lambda: 'hvs.' + r(24), 'hvslong': lambda: 'hvs.CAESI' + r(90, AN+'_-'),
 'tfc': lambda: r(14) + '.atlasv1.' + r(67, AN+'_-'),
 'linapi': lambda: 'lin_api_' + r(40),
 'nrak': lambda: 'NRAK-' + r(27, string.ascii_uppercase+string.digits),
 'notion': lambda: 'secret_' + r(43), 'ntn': lambda: 'ntn_' + r(11, string.digits) + r(35),
 'okta': lambda: '00' + r(40, AN+'_-'),
 'pmak': lambda: 'PMAK-' + r(24, HEX) + '-' + r(34, HEX),
 'pul': lambda: 'pul-' + r(40, HEX),
 'sntrys': lambda: 'sntrys_eyJpYXQiOjE3MTg' + r(80, AN) + '_' + r(43, AN+'/+'),
 'sqatp': lambda: 'EAAA' + r(60, AN+'_-'), 'sqcsp': lambda: 'sq0csp-' + r(43, AN+'_-'),
 'age': lambda: 'AGE-SECRET-KEY-1' + r(58, 'QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L'),
 'sbp': lambda: 'sbp_' + r(40, HEX),
 'fo1': lambda: 'fo1_' + r(43, AN+'_-'),
 'gsk': lambda: 'gsk_' + r(52), 'r8': lambda: 'r8_' + r(37), 'pplx': lambda: 'pplx-' + r(48), 'xai': lambda: 'xai-' + r(80),
 'mistral': lambda: r(32), 'cohere': lambda: r(40),
 'nfp': lambda: 'nfp_' + r(36), 'vercel': lambda: r(24),
 'twitch': lambda: r(30, string.ascii_lowercase+string.digits),
 'tvly': lambda: 'tvly-' + r(32), 'orv1': lambda: 'sk-or-v1-' + r(64, HEX),
 'lsv2': lambda: 'lsv2_pt_' + r(32, HEX) + '_' + r(10, HEX),
 'pcsk': lambda: 'pcsk_' + r(6) + '_' + r(63),
 'ops': lambda: 'ops_eyJzaWduSW5BZGRyZXNzIjoi' + r(400, AN+'+/'),
 'bkua': lambda: 'bkua_' + r(40, HEX), 'rubygems': lambda: 'rubygems_' + r(48, HEX),
 'pscale': lambda: 'pscale_tkn_' + r(43, AN+'_'), 'pscalepw': lambda: 'pscale_pw_' + r(43, AN+'_'),
 'dt': lambda: 'dt0c01.' + r(24, string.ascii_uppercase+string.digits) + '.' + r(64, string.ascii_uppercase+string.digits),
 'sqp': lambda: 'sqp_' + r(40, HEX), 'brevo': lambda: 'xkeysib-' + r(64, HEX) + '-' + r(16),
 'hubspot': lambda: f"pat-na1-{r(8,HEX)}-{r(4,HEX)}-{r(4,HEX)}-{r(4,HEX)}-{r(12,HEX)}",
 'airtable': lambda: 'pat' + r(14) + '.' + r(64, HEX),
 'ltai': lambda: 'LTAI' + r(20),
 'mapbox': lambda: 'sk.eyJ1IjoiYWNtZS1tYXBzIiwiYSI6ImNs' + r(20) + '.' + r(22, AN+'_-'),
 'fcm': lambda: 'AAAA' + r(7, AN+'_-') + ':APA91b' + r(134, AN+'_-'),
 'b64': lambda n: r(n, AN+'+/'),
 'pw': lambda: r(14, AN+'!@#%^*-_'),
 'gltoken': lambda: r(20),
}
if __name__ == '__main__':
    import sys
    for k in sys.argv[1:]:
        print(k, T[k]())

def pw():
    # A realistic password: letters, digits and a symbol, no URI delimiters.
    while True:
        s = r(R.randint(12, 18), AN + '!^*-_.')
        if any(c.isdigit() for c in s) and any(c.islower() for c in s) and any(c.isupper() for c in s):
            return s

def pem_text():
    body = '\n'.join(r(64, AN+'+/') for _ in range(6))
    return f"-----BEGIN RSA PRIVATE KEY-----\n{body}\n-----END RSA PRIVATE KEY-----\n"

T.update({
 'pw': pw,
 'dockerauth': lambda: base64.b64encode(f"northwindci:{pw()}".encode()).decode(),
 'basicauth': lambda: base64.b64encode(f"svc-reporting:{pw()}".encode()).decode(),
 'jwt': lambda: jwt({"sub": str(R.randint(10000, 99999)), "iss": "https://auth.northwind.io", "iat": 1718100000, "exp": 4102444800, "scope": "orders:read orders:write"}, 'RS256'),
 'jwtservice': lambda: jwt({"iss": "supabase", "ref": r(20, string.ascii_lowercase), "role": "service_role", "iat": 1718100000, "exp": 2033676000}),
 'b64pem': lambda: base64.b64encode(pem_text().encode()).decode(),
 'sfdc': lambda: '00D' + r(15) + '!AQ' + r(100, AN + '._'),
 'hex7': lambda: r(7, HEX), 'hex8': lambda: r(8, HEX), 'hex16': lambda: r(16, HEX), 'hex24': lambda: r(24, HEX),
 'hex36': lambda: r(36, HEX), 'hex37': lambda: r(37, HEX), 'hex64': lambda: r(64, HEX),
 'glcbt': lambda: 'glcbt-' + r(20, AN+'_-'), 'glrt': lambda: 'glrt-' + r(20, AN+'_-'),
})

def fill(kind):
    if ':' in kind:
        k, n = kind.split(':')
        n = int(n)
        alpha = {'b64': AN + '+/', 'b64u': AN + '-_', 'an': AN, 'b32': string.ascii_uppercase + '234567', 'digits': string.digits}[k]
        return r(n, alpha)
    return T[kind]()
