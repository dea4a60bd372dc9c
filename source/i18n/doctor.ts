/**
 * What `doctor` says, in both languages. Every line has a summary and, when something is wrong, what to
 * do next. Parameters in {braces}; both languages use the same ones (test/doctor/texts.test.ts). One
 * catalogue shape and t(): i18n/t.ts. A parameter that names a text (e.g. the card kind, "ahead of") is put
 * in the same language; a missing one is left visible.
 */
import { register, type Catalogue } from './shelf.js';

export const DOCTOR_TEXTS = register({
  'title': { en: 'moica-check doctor', 'zh-TW': 'moica-check 環境診斷' },
  'label.pcsc': { en: 'PC/SC', 'zh-TW': 'PC/SC 服務' },
  'label.readers': { en: 'Readers', 'zh-TW': '讀卡機' },
  'label.card': { en: 'Card', 'zh-TW': '卡片' },
  'label.issuer': { en: 'Issuing CA', 'zh-TW': '簽發 CA' },
  'label.registry': { en: 'Registry', 'zh-TW': '憑證資料庫' },
  'label.crl': { en: 'CRL', 'zh-TW': '憑證廢止清冊（CRL）' },
  'label.ocsp': { en: 'OCSP', 'zh-TW': 'OCSP 憑證狀態查詢' },
  'label.clock': { en: 'Clock', 'zh-TW': '系統時鐘' },
  'label.pkcs11': { en: 'PKCS#11 module', 'zh-TW': 'PKCS#11 模組' },
  'label.usb': { en: 'USB readers', 'zh-TW': 'USB 讀卡機' },
  'label.hipki': { en: 'HiPKI Local Server', 'zh-TW': 'HiPKI 本機服務（HiPKILocalSignServer）' },

  'pcsc.ok': { en: 'pcsc-lite {version} is running; the binding loads.', 'zh-TW': 'pcsc-lite {version} 執行中，PC/SC 元件已載入。' },
  'pcsc.demo': { en: 'demo: an in-process virtual reader, PC/SC not used.', 'zh-TW': '示範模式：使用程式內的虛擬讀卡機，不使用 PC/SC。' },
  'pcsc.binding-missing': { en: 'The PC/SC binding (pcsclite) does not load.', 'zh-TW': '無法載入 PC/SC 元件（pcsclite）。' },
  'pcsc.binding-missing.next': { en: 'Install libpcsclite-dev and pcscd, then run: npm rebuild pcsclite', 'zh-TW': '請安裝 libpcsclite-dev 與 pcscd，再執行：npm rebuild pcsclite' },
  'pcsc.down': { en: 'The PC/SC service (pcscd) is not running.', 'zh-TW': 'PC/SC 服務（pcscd）未執行。' },
  'pcsc.not-installed': { en: 'pcscd (the PC/SC service) is not installed.', 'zh-TW': '未安裝 PC/SC 服務（pcscd）。' },
  'pcsc.not-installed.next': { en: 'Install it: sudo apt-get install pcscd libccid (Fedora: sudo dnf install pcsc-lite pcsc-lite-ccid), then sudo systemctl enable --now pcscd.socket.', 'zh-TW': '請安裝：sudo apt-get install pcscd libccid（Fedora：sudo dnf install pcsc-lite pcsc-lite-ccid），再執行 sudo systemctl enable --now pcscd.socket。' },
  'pcsc.not-activated': { en: 'pcscd {version} is installed but not running, and not socket-activated (pcscd.socket: {socket}).', 'zh-TW': 'pcscd {version} 已安裝但未執行，也未設定為 socket 啟動（pcscd.socket：{socket}）。' },
  'pcsc.not-activated.next': { en: 'Let systemd start it when needed: sudo systemctl enable --now pcscd.socket (or run it once: sudo pcscd).', 'zh-TW': '請讓 systemd 在需要時啟動：sudo systemctl enable --now pcscd.socket（或直接執行一次：sudo pcscd）。' },
  'pcsc.socket-silent': { en: 'pcscd.socket is active, but pcscd {version} does not answer.', 'zh-TW': 'pcscd.socket 已啟用，但 pcscd {version} 沒有回應。' },
  'pcsc.socket-silent.next': { en: 'Restart it: sudo systemctl restart pcscd.socket pcscd, then look at journalctl -u pcscd.', 'zh-TW': '請重新啟動：sudo systemctl restart pcscd.socket pcscd，並查看 journalctl -u pcscd。' },
  'pcsc.down.next': { en: 'Start it: sudo systemctl start pcscd (install with: sudo apt-get install pcscd).', 'zh-TW': '請啟動服務：sudo systemctl start pcscd（安裝：sudo apt-get install pcscd）。' },

  'readers.ok': { en: '{readers}', 'zh-TW': '{readers}' },
  'readers.none': { en: 'No smart-card reader found.', 'zh-TW': '找不到讀卡機。' },
  'readers.none.next': { en: 'Plug the reader in (another USB port helps), then run doctor again.', 'zh-TW': '請插上讀卡機（可換一個 USB 插槽），再重新執行診斷。' },
  'readers.blocked': { en: 'Not checked: PC/SC is not available.', 'zh-TW': '未檢查：PC/SC 服務無法使用。' },

  'card.ok': { en: '{kind}, card number {number}, ATR {atr} ({atrName}).', 'zh-TW': '{kind}，卡號 {number}，ATR {atr}（{atrName}）。' },
  'card.kind.gen1': { en: 'MOICA citizen certificate card, generation 1', 'zh-TW': '自然人憑證（第一代卡）' },
  'card.kind.gen2': { en: 'MOICA citizen certificate card, generation 2', 'zh-TW': '自然人憑證（第二代卡）' },
  'card.kind.virtual': { en: 'the virtual MOICA card (tests and demo), generation {generation}', 'zh-TW': '虛擬自然人憑證（測試與示範用），第 {generation} 代' },
  'card.none': { en: 'No card in {reader}.', 'zh-TW': '{reader} 中沒有卡片。' },
  'card.none.next': { en: 'Insert the citizen certificate card, chip first and facing up, then run doctor again.', 'zh-TW': '請將自然人憑證晶片朝上插入讀卡機，再重新執行診斷。' },
  'card.not-moica': { en: 'The card in {reader} is not a citizen certificate card (ATR {atr}).', 'zh-TW': '{reader} 中的卡片不是自然人憑證（ATR {atr}）。' },
  'card.not-moica.next': { en: 'Insert the citizen certificate card (自然人憑證), not a bank or health card.', 'zh-TW': '請插入自然人憑證，而非金融卡或健保卡。' },
  'card.inconsistent': { en: '{kind}, card number {number}: its certificate directory disagrees with a certificate (an interrupted rewrite?).', 'zh-TW': '{kind}，卡號 {number}：卡片的憑證目錄與憑證內容不一致（憑證重寫曾中斷？）。' },
  'card.inconsistent.next': { en: 'Run moica-check (or moica-check check) and follow its advice; do not pull the card during a rewrite.', 'zh-TW': '請執行 moica-check（或 moica-check check）並依指示處理；重寫時請勿拔卡。' },
  'card.error': { en: 'The card in {reader} could not be read: {message}', 'zh-TW': '無法讀取 {reader} 中的卡片：{message}' },
  'card.error.next': { en: 'Take the card out, clean the chip, insert it again; if it still fails, try another reader.', 'zh-TW': '請取出卡片、清潔晶片後重新插入；仍失敗請改用另一台讀卡機。' },
  'card.mute': { en: 'The card in {reader} does not answer ({why}).', 'zh-TW': '{reader} 中的卡片沒有回應（{why}）。' },
  'card.mute.next': { en: 'Take it out and put it in the other way up: chip first, gold contacts facing up (a card in upside down reads as "unresponsive"). Still mute: clean the chip, or try another reader.', 'zh-TW': '請取出卡片，換個方向重新插入：晶片端先插入、金色晶片朝上（卡片插反時會顯示「無回應」）。仍無回應：請清潔晶片，或改用另一台讀卡機。' },
  'card.mute.no-atr': { en: 'the reader reports a card but no ATR', 'zh-TW': '讀卡機偵測到卡片，但沒有 ATR' },
  'card.mute.timeout': { en: 'no answer to the first command', 'zh-TW': '第一個指令即無回應' },
  'card.atr-named': { en: '{name}', 'zh-TW': '{name}' },
  'card.atr-unlisted': { en: 'not on the list of MOICA ATRs; it answered the MOICA probe', 'zh-TW': '不在已知的自然人憑證 ATR 清單中，但已通過自然人憑證探測' },
  'card.blocked': { en: 'Not checked: no reader.', 'zh-TW': '未檢查：沒有讀卡機。' },

  'registry.ok': { en: 'reachable in {ms} ms ({url}).', 'zh-TW': '連線正常，{ms} 毫秒（{url}）。' },
  'registry.ok-probe': { en: 'reachable in {ms} ms ({url}); asked for a test card number, no card read.', 'zh-TW': '連線正常，{ms} 毫秒（{url}）；以測試卡號查詢（未讀取卡片）。' },
  'registry.card-unknown': { en: 'reachable in {ms} ms, but it has no record of card {number}.', 'zh-TW': '連線正常（{ms} 毫秒），但資料庫中沒有卡號 {number} 的紀錄。' },
  'registry.card-unknown.next': { en: 'Check the card number with the free helpline 0800-080-117.', 'zh-TW': '請撥免付費客服專線 0800-080-117 確認卡號。' },
  'registry.unset': {
    en: 'not configured: statuses come from OCSP/CRL; the card is not compared with the issuer\'s records.',
    'zh-TW': '未設定：憑證狀態來自 OCSP/CRL；IC卡內容不與發卡單位的紀錄比對。',
  },
  'registry.unset.next': {
    en: 'A check still gives a verdict (A "not compared", B-1 from a superseded certificate, C). A registry (--registry URL or MOICA_REGISTRY_URL) adds the comparison: it finds a card that missed a renewal\'s certificates.',
    'zh-TW': '仍可檢查並判定（A「未比對」、已取代的憑證判定 B-1、C）。設定憑證資料庫（--registry URL 或 MOICA_REGISTRY_URL）可比對IC卡內容，找出展期後未寫入的憑證。',
  },
  'registry.fail': { en: 'Not usable ({url}): {message}', 'zh-TW': '無法使用（{url}）：{message}' },
  'registry.fail.next': { en: 'Check the URL, the network and any proxy; the registry must answer HTTPS (plain HTTP only on this machine).', 'zh-TW': '請確認網址、網路與 Proxy 設定；資料庫須以 HTTPS 連線（僅本機可用 HTTP）。' },

  'ocsp.ok': { en: 'answered in {ms} ms, signature verified, signed by {signer}, {nonce} ({url}).', 'zh-TW': '已回應，{ms} 毫秒，簽章驗證通過，簽署者：{signer}，{nonce}（{url}）。' },
  'ocsp.next.no-registry': {
    en: 'With no registry, statuses come from OCSP, else the CRL: check the network, any proxy and the clock (timedatectl).',
    'zh-TW': '未設定憑證資料庫時，憑證狀態來自 OCSP，否則來自 CRL：請檢查網路、Proxy 與系統時鐘（timedatectl）。',
  },
  'ocsp.nonce.seen': { en: 'nonce echoed', 'zh-TW': '回應含 nonce' },
  'ocsp.nonce.absent': { en: 'no nonce (a pre-produced answer, accepted when fresh)', 'zh-TW': '回應無 nonce（預先產生的回應，於有效期間內採用）' },
  'ocsp.signer.ca': { en: 'the CA', 'zh-TW': 'CA 本身' },
  'ocsp.signer.delegated': { en: 'a delegated responder', 'zh-TW': '授權的 OCSP 回應者' },
  'ocsp.signer.pinned': { en: 'a pinned responder', 'zh-TW': '指定的 OCSP 回應者' },
  'ocsp.ok-probe': { en: 'answered in {ms} ms ({url}); no card CA to verify an answer against.', 'zh-TW': '已回應，{ms} 毫秒（{url}）；沒有卡片上的 CA 憑證可驗證回應。' },
  'ocsp.unverified': { en: 'answered in {ms} ms, but the answer is not accepted: {message}', 'zh-TW': '已回應（{ms} 毫秒），但回應未通過驗證：{message}' },
  'ocsp.unverified.next': { en: 'Check the system clock and any proxy in between; verdicts then rest on the registry alone.', 'zh-TW': '請檢查系統時鐘與中間的 Proxy；此時判定僅依憑證資料庫。' },
  'ocsp.off': { en: 'Turned off (--no-ocsp).', 'zh-TW': '已關閉（--no-ocsp）。' },
  'ocsp.fail': { en: 'Not reachable ({url}): {message}', 'zh-TW': '無法連線（{url}）：{message}' },
  'ocsp.fail.next': { en: 'Verdicts still work from the registry; check the network or proxy to get OCSP cross-checks back.', 'zh-TW': '仍可依憑證資料庫判定；請檢查網路或 Proxy 以恢復 OCSP 交叉檢查。' },

  'issuer.known': { en: '{name} ({generation}), key id {keyId}: pinned fingerprint matches.', 'zh-TW': '{name}（{generation}），金鑰識別碼 {keyId}：與公告的指紋相符。' },
  'issuer.unknown': { en: 'not one of the issuer\'s published CAs (key id {keyId}): a test or virtual PKI; checked, not refused.', 'zh-TW': '不是發卡單位公告的 CA（金鑰識別碼 {keyId}）：測試或虛擬 PKI；照常檢查，不拒絕。' },
  'issuer.bad': { en: 'The card\'s CA certificates fail their checks: {message}', 'zh-TW': '卡片上的 CA 憑證未通過檢查：{message}' },
  'issuer.none': { en: 'Not checked: no CA certificate read from the card.', 'zh-TW': '未檢查：未讀取卡片上的 CA 憑證。' },

  'crl.ok': { en: 'signature verified, current, {ms} ms, {cache} ({url}).', 'zh-TW': '簽章驗證通過，在有效期間內，{ms} 毫秒，{cache}（{url}）。' },
  'crl.stale': { en: 'signature verified but past its next update, {ms} ms, {cache} ({url}): a certificate it does not list is not confirmed.', 'zh-TW': '簽章驗證通過但已過下次更新時間，{ms} 毫秒，{cache}（{url}）：未列出的憑證無法確認。' },
  'crl.cached': { en: 'from the cache', 'zh-TW': '取自快取' },
  'crl.downloaded': { en: 'downloaded', 'zh-TW': '已下載' },
  'crl.fail': { en: 'Not usable ({url}): {message}', 'zh-TW': '無法使用（{url}）：{message}' },
  'crl.fail.next': { en: 'Statuses then rest on OCSP alone; check the network or proxy to the CRL server.', 'zh-TW': '此時憑證狀態僅依 OCSP；請檢查至 CRL 伺服器的網路或 Proxy。' },
  'crl.none': { en: 'Not checked: no CRL is known for this card\'s CA.', 'zh-TW': '未檢查：不知道此卡片 CA 的 CRL 位址。' },

  'clock.ok': { en: 'within {seconds} s of the OCSP responder ({source}).', 'zh-TW': '與 OCSP 伺服器相差 {seconds} 秒以內（{source}）。' },
  'clock.off': { en: '{seconds} s {direction} the OCSP responder ({source}).', 'zh-TW': '比 OCSP 伺服器{direction} {seconds} 秒（{source}）。' },
  'clock.off.next': { en: 'Set the clock right (timedatectl set-ntp true): OCSP answers are refused beyond 5 minutes.', 'zh-TW': '請校正時間（timedatectl set-ntp true）：相差超過 5 分鐘時 OCSP 回應會被拒絕。' },
  'clock.ahead': { en: 'ahead of', 'zh-TW': '快' },
  'clock.behind': { en: 'behind', 'zh-TW': '慢' },
  'clock.unknown': { en: 'Not checked: no time from the OCSP responder.', 'zh-TW': '未檢查：沒有取得 OCSP 伺服器的時間。' },

  'pkcs11.ok': { en: '{path} loads; tokens: {tokens}.', 'zh-TW': '{path} 可載入；權杖：{tokens}。' },
  'pkcs11.no-tokens': { en: 'none', 'zh-TW': '無' },
  'pkcs11.fail': { en: 'The module {path} does not load: {message}', 'zh-TW': '無法載入模組 {path}：{message}' },
  'pkcs11.unset': { en: 'Not configured (not needed for this card).', 'zh-TW': '未設定（此卡片不需要）。' },

  'usb.ok': { en: '{readers}; PC/SC lists each.', 'zh-TW': '{readers}；PC/SC 皆已列出。' },
  'usb.none': { en: 'No smart-card reader on USB ({searched}).', 'zh-TW': 'USB 上沒有讀卡機（{searched}）。' },
  'usb.unchecked': { en: 'Not checked: neither {searched} nor lsusb is available.', 'zh-TW': '未檢查：沒有 {searched}，也沒有 lsusb。' },
  'usb.ez100pu': { en: 'A CASTLES EZ100PU (USB {id}) is plugged in, but PC/SC does not list it: its driver is missing.', 'zh-TW': '已插上 CASTLES EZ100PU 讀卡機（USB {id}），但 PC/SC 沒有列出：缺少驅動程式。' },
  'usb.ez100pu.next': {
    en: 'The EZ100PU is not a CCID reader and stock libccid does not drive it: install Castles\' PC/SC driver for the EZ100PU (the "EZ100PU / EZUSB" driver from castlestech.com, or the download the issuer links at moica.nat.gov.tw; on Linux its IFD handler goes under /usr/lib/pcsc/drivers), then restart pcscd (sudo systemctl restart pcscd). Or use a CCID reader.',
    'zh-TW': 'EZ100PU 不是 CCID 讀卡機，系統內建的 libccid 無法驅動：請安裝虎門科技（Castles）的 EZ100PU PC/SC 驅動程式（castlestech.com 或內政部憑證管理中心 moica.nat.gov.tw 提供的下載；Linux 版的 IFD 驅動程式安裝於 /usr/lib/pcsc/drivers），再重新啟動 pcscd（sudo systemctl restart pcscd）。或改用 CCID 讀卡機。',
  },
  'usb.unlisted': { en: 'USB reader {readers} is plugged in, but PC/SC does not list it.', 'zh-TW': '已插上 USB 讀卡機 {readers}，但 PC/SC 沒有列出。' },
  'usb.unlisted.next': { en: 'Install the CCID driver (sudo apt-get install libccid), restart pcscd (sudo systemctl restart pcscd), and try another USB port.', 'zh-TW': '請安裝 CCID 驅動程式（sudo apt-get install libccid）、重新啟動 pcscd（sudo systemctl restart pcscd），並換一個 USB 插槽。' },

  'pkcs11.found': { en: 'found {path} (not configured): it loads; tokens: {tokens}.', 'zh-TW': '找到 {path}（尚未設定）：可載入；權杖：{tokens}。' },
  'pkcs11.found.next': { en: 'To rewrite with it, pass --pkcs11-module {path} (or set MOICA_PKCS11_MODULE).', 'zh-TW': '若要以此模組重寫憑證，請加上 --pkcs11-module {path}（或設定 MOICA_PKCS11_MODULE）。' },
  'pkcs11.found-broken': { en: 'found {path}, but it does not load: {message}', 'zh-TW': '找到 {path}，但無法載入：{message}' },
  'pkcs11.not-found': { en: 'The issuer\'s module was not found; searched: {searched}.', 'zh-TW': '找不到憑證管理中心的 PKCS#11 模組；已搜尋：{searched}。' },
  'pkcs11.not-found-real': { en: 'Not found, so this real card can be read and checked but not rewritten; searched: {searched}.', 'zh-TW': '找不到模組：此實體卡可讀取與檢查，但無法重寫憑證；已搜尋：{searched}。' },
  'pkcs11.install.next': {
    en: 'To rewrite, install the issuer\'s HiPKILocalSignServer from moica.nat.gov.tw (macOS: libHicos_p11v1.dylib inside HiPKILocalSignServer.app; Windows: HiCOSPKCS11.dll; Linux: look for libHicos_p11*.so inside its archive) and pass --pkcs11-module PATH (or set MOICA_PKCS11_MODULE).',
    'zh-TW': '若需重寫憑證，請至 moica.nat.gov.tw 安裝 HiPKILocalSignServer（macOS：HiPKILocalSignServer.app 內的 libHicos_p11v1.dylib；Windows：HiCOSPKCS11.dll；Linux：請在其壓縮檔內尋找 libHicos_p11*.so），並加上 --pkcs11-module PATH（或設定 MOICA_PKCS11_MODULE）。',
  },

  'hipki.running': { en: 'running at {url}, version {version}; tokens it sees: {tokens}.', 'zh-TW': '執行中（{url}），版本 {version}；可見的權杖：{tokens}。' },
  'hipki.running.next': { en: 'The issuer\'s card check-and-rewrite web page uses it. moica-check does not need it (it reads over PC/SC and rewrites through the PKCS#11 module): close that page while moica-check rewrites, so one program at a time writes to the card.', 'zh-TW': '憑證管理中心的「IC卡檢測重寫」網頁會使用它。moica-check 不需要它（以 PC/SC 讀卡、以 PKCS#11 模組重寫）：moica-check 重寫時請關閉該網頁，一次只讓一個程式寫卡。' },
  'hipki.tokens-unknown': { en: 'not listed', 'zh-TW': '未列出' },
  'hipki.absent': { en: 'not running at {url}.', 'zh-TW': '未執行（{url}）。' },
  'hipki.absent.next': { en: 'moica-check does not need it: reading and checking need PC/SC only, rewriting needs the PKCS#11 module. The issuer\'s card check-and-rewrite web page needs it: install HiPKILocalSignServer from moica.nat.gov.tw to use that page.', 'zh-TW': 'moica-check 不需要它：讀取與檢查只需 PC/SC，重寫需要 PKCS#11 模組。憑證管理中心的「IC卡檢測重寫」網頁需要它：若要使用該網頁，請至 moica.nat.gov.tw 安裝 HiPKILocalSignServer。' },
  'hipki.odd': { en: 'something answers at {url}, but not like the HiPKI Local Server: {message}', 'zh-TW': '{url} 有回應，但不像 HiPKI 本機服務：{message}' },

  'summary.ok': { en: 'Everything needed works.', 'zh-TW': '必要項目皆正常。' },
  'summary.ok-no-registry': {
    en: 'Everything a check needs works; with no registry the card is not compared with the issuer\'s records (see ℹ above).',
    'zh-TW': '檢查所需項目皆正常；未設定憑證資料庫，IC卡內容不與發卡單位的紀錄比對（見上方 ℹ）。',
  },
  'summary.fail': { en: 'Something needed does not work: see ✖ above.', 'zh-TW': '有必要項目無法使用：請見上方 ✖。' },
} as const satisfies Catalogue, { missing: 'keep', nested: true });

export type DoctorTextKey = keyof typeof DOCTOR_TEXTS;
