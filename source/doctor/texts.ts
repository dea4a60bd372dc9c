/**
 * What `doctor` says, in both languages. Every line has a summary and, when something is wrong, what to
 * do next. Parameters in {braces}; both languages use the same ones (test/doctor/texts.test.ts).
 */
import type { Lang } from '../options.js';

export const DOCTOR_TEXTS = {
  'title': { en: 'moica-check doctor', 'zh-TW': 'moica-check 環境診斷' },
  'label.pcsc': { en: 'PC/SC', 'zh-TW': 'PC/SC 服務' },
  'label.readers': { en: 'Readers', 'zh-TW': '讀卡機' },
  'label.card': { en: 'Card', 'zh-TW': '卡片' },
  'label.registry': { en: 'Registry', 'zh-TW': '憑證資料庫' },
  'label.ocsp': { en: 'OCSP', 'zh-TW': 'OCSP 憑證狀態查詢' },
  'label.clock': { en: 'Clock', 'zh-TW': '系統時鐘' },
  'label.pkcs11': { en: 'PKCS#11 module', 'zh-TW': 'PKCS#11 模組' },

  'pcsc.ok': { en: 'pcsc-lite {version} is running; the binding loads.', 'zh-TW': 'pcsc-lite {version} 執行中，PC/SC 元件已載入。' },
  'pcsc.demo': { en: 'demo: an in-process virtual reader, PC/SC not used.', 'zh-TW': '示範模式：使用程式內的虛擬讀卡機，不使用 PC/SC。' },
  'pcsc.binding-missing': { en: 'The PC/SC binding (pcsclite) does not load.', 'zh-TW': '無法載入 PC/SC 元件（pcsclite）。' },
  'pcsc.binding-missing.next': { en: 'Install libpcsclite-dev and pcscd, then run: npm rebuild pcsclite', 'zh-TW': '請安裝 libpcsclite-dev 與 pcscd，再執行：npm rebuild pcsclite' },
  'pcsc.down': { en: 'The PC/SC service (pcscd) is not running.', 'zh-TW': 'PC/SC 服務（pcscd）未執行。' },
  'pcsc.down.next': { en: 'Start it: sudo systemctl start pcscd (install with: sudo apt-get install pcscd).', 'zh-TW': '請啟動服務：sudo systemctl start pcscd（安裝：sudo apt-get install pcscd）。' },

  'readers.ok': { en: '{readers}', 'zh-TW': '{readers}' },
  'readers.none': { en: 'No smart-card reader found.', 'zh-TW': '找不到讀卡機。' },
  'readers.none.next': { en: 'Plug the reader in (another USB port helps), then run doctor again.', 'zh-TW': '請插上讀卡機（可換一個 USB 插槽），再重新執行診斷。' },
  'readers.blocked': { en: 'Not checked: PC/SC is not available.', 'zh-TW': '未檢查：PC/SC 服務無法使用。' },

  'card.ok': { en: '{kind}, card number {number}, ATR {atr}.', 'zh-TW': '{kind}，卡號 {number}，ATR {atr}。' },
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
  'card.blocked': { en: 'Not checked: no reader.', 'zh-TW': '未檢查：沒有讀卡機。' },

  'registry.ok': { en: 'reachable in {ms} ms ({url}).', 'zh-TW': '連線正常，{ms} 毫秒（{url}）。' },
  'registry.ok-probe': { en: 'reachable in {ms} ms ({url}); asked for a test card number, no card read.', 'zh-TW': '連線正常，{ms} 毫秒（{url}）；以測試卡號查詢（未讀取卡片）。' },
  'registry.card-unknown': { en: 'reachable in {ms} ms, but it has no record of card {number}.', 'zh-TW': '連線正常（{ms} 毫秒），但資料庫中沒有卡號 {number} 的紀錄。' },
  'registry.card-unknown.next': { en: 'Check the card number with the free helpline 0800-080-117.', 'zh-TW': '請撥免付費客服專線 0800-080-117 確認卡號。' },
  'registry.unset': { en: 'No registry is configured.', 'zh-TW': '未設定憑證資料庫。' },
  'registry.unset.next': { en: 'Pass --registry URL or set MOICA_REGISTRY_URL (checks need it).', 'zh-TW': '請加上 --registry URL 或設定 MOICA_REGISTRY_URL（檢查憑證時需要）。' },
  'registry.fail': { en: 'Not usable ({url}): {message}', 'zh-TW': '無法使用（{url}）：{message}' },
  'registry.fail.next': { en: 'Check the URL, the network and any proxy; the registry must answer HTTPS (plain HTTP only on this machine).', 'zh-TW': '請確認網址、網路與 Proxy 設定；資料庫須以 HTTPS 連線（僅本機可用 HTTP）。' },

  'ocsp.ok': { en: 'answered in {ms} ms, signature verified ({url}).', 'zh-TW': '已回應，{ms} 毫秒，簽章驗證通過（{url}）。' },
  'ocsp.ok-probe': { en: 'answered in {ms} ms ({url}); no card CA to verify an answer against.', 'zh-TW': '已回應，{ms} 毫秒（{url}）；沒有卡片上的 CA 憑證可驗證回應。' },
  'ocsp.unverified': { en: 'answered in {ms} ms, but the answer is not accepted: {message}', 'zh-TW': '已回應（{ms} 毫秒），但回應未通過驗證：{message}' },
  'ocsp.unverified.next': { en: 'Check the system clock and any proxy in between; verdicts then rest on the registry alone.', 'zh-TW': '請檢查系統時鐘與中間的 Proxy；此時判定僅依憑證資料庫。' },
  'ocsp.off': { en: 'Turned off (--no-ocsp).', 'zh-TW': '已關閉（--no-ocsp）。' },
  'ocsp.fail': { en: 'Not reachable ({url}): {message}', 'zh-TW': '無法連線（{url}）：{message}' },
  'ocsp.fail.next': { en: 'Verdicts still work from the registry; check the network or proxy to get OCSP cross-checks back.', 'zh-TW': '仍可依憑證資料庫判定；請檢查網路或 Proxy 以恢復 OCSP 交叉檢查。' },

  'clock.ok': { en: 'within {seconds} s of the OCSP responder ({source}).', 'zh-TW': '與 OCSP 伺服器相差 {seconds} 秒以內（{source}）。' },
  'clock.off': { en: '{seconds} s {direction} the OCSP responder ({source}).', 'zh-TW': '比 OCSP 伺服器{direction} {seconds} 秒（{source}）。' },
  'clock.off.next': { en: 'Set the clock right (timedatectl set-ntp true): OCSP answers are refused beyond 5 minutes.', 'zh-TW': '請校正時間（timedatectl set-ntp true）：相差超過 5 分鐘時 OCSP 回應會被拒絕。' },
  'clock.ahead': { en: 'ahead of', 'zh-TW': '快' },
  'clock.behind': { en: 'behind', 'zh-TW': '慢' },
  'clock.unknown': { en: 'Not checked: no time from the OCSP responder.', 'zh-TW': '未檢查：沒有取得 OCSP 伺服器的時間。' },

  'pkcs11.ok': { en: '{path} loads; tokens: {tokens}.', 'zh-TW': '{path} 可載入；權杖：{tokens}。' },
  'pkcs11.no-tokens': { en: 'none', 'zh-TW': '無' },
  'pkcs11.fail': { en: 'The module {path} does not load: {message}', 'zh-TW': '無法載入模組 {path}：{message}' },
  'pkcs11.fail.next': { en: 'Install the HiCOS card tool for Linux from moica.nat.gov.tw and pass the path of libHicos_p11.so.', 'zh-TW': '請至 moica.nat.gov.tw 下載安裝 HiCOS 卡片管理工具（Linux 版），並指定 libHicos_p11.so 的路徑。' },
  'pkcs11.unset-real': { en: 'Not configured: this real card can be checked but not rewritten.', 'zh-TW': '未設定：此實體卡可檢查，但無法重寫憑證。' },
  'pkcs11.unset-real.next': { en: 'To rewrite, install the HiCOS card tool and pass --pkcs11-module /path/to/libHicos_p11.so (or set MOICA_PKCS11_MODULE).', 'zh-TW': '若需重寫，請安裝 HiCOS 卡片管理工具，並加上 --pkcs11-module /path/to/libHicos_p11.so（或設定 MOICA_PKCS11_MODULE）。' },
  'pkcs11.unset': { en: 'Not configured (not needed for this card).', 'zh-TW': '未設定（此卡片不需要）。' },

  'summary.ok': { en: 'Everything needed works.', 'zh-TW': '必要項目皆正常。' },
  'summary.fail': { en: 'Something needed does not work: see ✖ above.', 'zh-TW': '有必要項目無法使用：請見上方 ✖。' },
} as const satisfies Record<string, Record<Lang, string>>;

export type DoctorTextKey = keyof typeof DOCTOR_TEXTS;

const isKey = (value: string): value is DoctorTextKey => Object.hasOwn(DOCTOR_TEXTS, value);

/** A parameter that names a text (e.g. the card kind, "ahead of") is put in the same language. */
export function doctorText(lang: Lang, key: DoctorTextKey, params: Record<string, string | number> = {}): string {
  return DOCTOR_TEXTS[key][lang].replace(/\{(\w+)\}/g, (whole, name: string) => {
    if (!(name in params)) return whole;
    const value = String(params[name]);
    return isKey(value) ? doctorText(lang, value, params) : value;
  });
}
