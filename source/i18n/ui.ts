/**
 * The TUI's own chrome: titles, labels, key hints, help and FAQ (one catalogue shape and t(): i18n/t.ts).
 * Verdict sentences, guidance, rewrite steps and error texts are the check catalogue's (i18n/check.ts,
 * shared with the headless commands); the functions below show them on the screen. Every key exists in
 * both languages (a test walks them). `status.valid|revoked|suspended|expired` say the same words as the
 * check catalogue's keys of the same name.
 */
import type { GuidanceItem, RewriteStep, Verdict } from '../check/types.js';
import { sanitize } from '../text/sanitize.js';
import { register, t, text, type Catalogue, type ErrorTextOptions, type Lang, type Vars } from './t.js';
import { WORKBENCH } from './ui-workbench.js';

export const UI = register({
  'app.title': { 'zh-TW': '自然人憑證 IC卡檢測重寫', en: 'MOICA card check & rewrite' },
  'app.demo': { 'zh-TW': '示範模式', en: 'demo' },
  'app.starting': { 'zh-TW': '啟動中...', en: 'starting...' },
  'app.failed': { 'zh-TW': '無法啟動', en: 'Could not start' },
  'scenario.valid': { 'zh-TW': '有效', en: 'valid' },
  'scenario.rewrite': { 'zh-TW': '需重寫', en: 'rewrite' },
  'scenario.revoked': { 'zh-TW': '廢止', en: 'revoked' },
  'scenario.suspended': { 'zh-TW': '停用', en: 'suspended' },
  'scenario.expired': { 'zh-TW': '已過期', en: 'expired' },
  'app.switching': { 'zh-TW': '切換示範情境：{scenario}…', en: 'Switching the demo to {scenario}…' },
  'bar.redetecting': { 'zh-TW': '重新偵測卡片…', en: 're-detecting…' },
  'summary.b2': { 'zh-TW': '完成憑證重寫（判定 B-2）', en: 'rewrite completed (verdict B-2)' },
  'summary.verdict': { 'zh-TW': '判定 {code}（{status}）', en: 'verdict {code} ({status})' },
  'summary.error': { 'zh-TW': '錯誤：{code}', en: 'error: {code}' },
  'summary.noCard': { 'zh-TW': '未讀取卡片', en: 'no card read' },
  'summary.cancelled': { 'zh-TW': '已取消', en: 'cancelled' },
  'readers.title': { 'zh-TW': '讀卡機', en: 'Readers' },
  'readers.empty': { 'zh-TW': '沒有讀卡機', en: 'No reader' },
  'readers.noCard': { 'zh-TW': '無卡片', en: 'no card' },
  'readers.moica': { 'zh-TW': '自然人憑證', en: 'MOICA card' },
  'readers.notMoica': { 'zh-TW': '非自然人憑證', en: 'not MOICA' },
  'readers.card': { 'zh-TW': '有卡片（未讀取）', en: 'card (not read)' },
  'readers.pcscDown': { 'zh-TW': 'PC/SC 服務未執行', en: 'PC/SC service not running' },
  'readers.scenarios': { 'zh-TW': '示範情境', en: 'Demo scenarios' },
  'card.title': { 'zh-TW': 'IC卡資訊', en: 'Card' },
  'card.number': { 'zh-TW': '卡號', en: 'Card number' },
  'card.serial': { 'zh-TW': '憑證序號 {slot}', en: 'Serial {slot}' },
  'card.usage.signature': { 'zh-TW': '簽章', en: 'signature' },
  'card.usage.encryption': { 'zh-TW': '加密', en: 'encryption' },
  'card.validity': { 'zh-TW': '效期 {from} ~ {to}', en: 'valid {from} to {to}' },
  'card.daysLeft': { 'zh-TW': '剩 {days} 天', en: '{days} days left' },
  'card.expiredAgo': { 'zh-TW': '已過期 {days} 天', en: 'expired {days} days ago' },
  'card.interrupted': { 'zh-TW': '上次的憑證重寫中斷：按 r 完成', en: 'the last rewrite was interrupted: r finishes it' },
  'card.slotTorn': { 'zh-TW': '無法讀取（憑證重寫中斷）', en: 'unreadable (interrupted rewrite)' },
  'card.directoryTorn': { 'zh-TW': '憑證目錄無法讀取（憑證重寫中斷）', en: 'certificate directory unreadable (interrupted rewrite)' },
  'status.interrupted': { 'zh-TW': '重寫中斷', en: 'interrupted rewrite' },
  'result.interrupted': { 'zh-TW': '上次的憑證重寫中斷，IC卡內容不完整。按 r 輸入PIN碼即可完成憑證重寫（寫入前已備份原有憑證）。', en: 'The last certificate rewrite was interrupted and the card is incomplete. Press r and enter the PIN to finish it (the old certificates were backed up before anything was written).' },
  'scroll.below': { 'zh-TW': '下方還有 {n} 行（PgDn／空白鍵）', en: '{n} more lines below (PgDn/space)' },
  'scroll.both': { 'zh-TW': '下方 {below} 行 · {up} 上方 {above} 行（PgDn／PgUp）', en: '{below} below · {up} {above} above (PgDn/PgUp)' },
  'scroll.above': { 'zh-TW': '上方還有 {n} 行（PgUp）', en: '{n} lines above (PgUp)' },
  'key.page': { 'zh-TW': '捲動', en: 'scroll' },
  'next.registry-timeout': { 'zh-TW': '請按 c 再檢查一次；若一再逾時，請檢查網路連線，或以 --timeout 加長等待時間（毫秒）。', en: 'Press c to check again; if it keeps timing out, check the network, or give it longer with --timeout (milliseconds).' },
  'next.registry-unreachable': { 'zh-TW': '請檢查網路連線與憑證資料庫位址（--registry），再按 c 重新檢查。', en: 'Check the network and the registry address (--registry), then press c to check again.' },
  'next.registry-later': { 'zh-TW': '請稍後按 c 再檢查一次；若持續發生，請洽免付費客服專線：0800-080-117。', en: 'Press c to check again later; if it persists, call the free helpline: 0800-080-117.' },
  'next.helpline': { 'zh-TW': '如有任何問題，請洽免付費客服專線：0800-080-117。', en: 'For help, call the free helpline: 0800-080-117.' },
  'next.not-moica': { 'zh-TW': '請插入自然人憑證IC卡；插入後會自動讀取。', en: 'Insert your citizen certificate card: it is read as soon as it is in.' },
  'next.card-removed': { 'zh-TW': '請將IC卡插回讀卡機；插入後會自動讀取。', en: 'Put the card back in the reader: it is read as soon as it is in.' },
  'next.card-again': { 'zh-TW': '請將IC卡取出後重新插入，或按 d 重新偵測卡片。', en: 'Take the card out and insert it again, or press d to re-detect.' },
  'next.pcsc': { 'zh-TW': '請安裝並啟動 pcscd，再按 d 重新偵測卡片。', en: 'Install and start pcscd, then press d to re-detect.' },
  'next.no-reader': { 'zh-TW': '請接上讀卡機，再按 d 重新偵測卡片。', en: 'Connect a card reader, then press d to re-detect.' },
  'next.no-card': { 'zh-TW': '請將IC卡插入讀卡機；插入後會自動讀取。', en: 'Insert the card into a reader: it is read as soon as it is in.' },
  'next.pkcs11': { 'zh-TW': '請安裝 HiPKILocalSignServer（moica.nat.gov.tw），並以 --pkcs11-module 指定其 PKCS#11 模組（可執行 moica-check doctor 搜尋）。', en: 'Install the issuer\'s HiPKILocalSignServer (moica.nat.gov.tw) and name its PKCS#11 module with --pkcs11-module (moica-check doctor searches for it).' },
  'next.backup-failed': { 'zh-TW': '未寫入任何資料。請確認備份資料夾（--backup-dir）可寫入且磁碟仍有空間，再按 r 重試。', en: 'Nothing was written. Check that the backup folder (--backup-dir) is writable and the disk has room, then press r to try again.' },
  'next.rewrite-removed': { 'zh-TW': '憑證重寫尚未完成：請將IC卡插回讀卡機，再按 r 完成憑證重寫。', en: 'The rewrite is not finished: put the card back in the reader and press r to finish it.' },
  'next.rewrite-removed-early': { 'zh-TW': '卡片在寫入前被移除，未寫入任何資料：請將IC卡插回讀卡機，再按 r 重試。', en: 'The card was removed before anything was written: put it back and press r to try again.' },
  'next.rewrite-resume': { 'zh-TW': '請按 r 完成憑證重寫（會從備份接續）；若再次失敗，請洽免付費客服專線：0800-080-117。', en: 'Press r to finish the rewrite (it resumes from the backup); if it fails again, call the free helpline: 0800-080-117.' },
  'next.rewrite-retry': { 'zh-TW': '請按 r 重試；若再次失敗，請洽免付費客服專線：0800-080-117。', en: 'Press r to try again; if it fails again, call the free helpline: 0800-080-117.' },
  'rewrite.backupAt': { 'zh-TW': '原有憑證的備份：{path}', en: 'Backup of the old certificates: {path}' },
  'rewrite.writingSlot': { 'zh-TW': '寫入憑證序號 {slot}', en: 'Writing certificate {slot}' },
  'rewrite.newSerial': { 'zh-TW': '新的憑證序號 {slot}', en: 'New serial {slot}' },
  'bar.registry.timeout': { 'zh-TW': '憑證資料庫回應逾時', en: 'Registry timed out' },
  'bar.registry.unreachable': { 'zh-TW': '憑證資料庫無法連線', en: 'Registry unreachable' },
  'bar.registry.http': { 'zh-TW': '憑證資料庫回應錯誤', en: 'Registry error' },
  'bar.registry.invalid': { 'zh-TW': '憑證資料庫回應無效', en: 'Registry answer invalid' },
  'ocsp.reason.disabled': { 'zh-TW': '已停用', en: 'turned off' },
  'ocsp.reason.unreachable': { 'zh-TW': '無法連線', en: 'unreachable' },
  'ocsp.reason.timeout': { 'zh-TW': '逾時', en: 'timed out' },
  'ocsp.reason.bad-signature': { 'zh-TW': '簽章不符', en: 'bad signature' },
  'ocsp.reason.nonce-mismatch': { 'zh-TW': '回應不符', en: 'answer mismatch' },
  'ocsp.reason.stale': { 'zh-TW': '回應過時', en: 'stale answer' },
  'ocsp.reason.invalid': { 'zh-TW': '回應無效', en: 'invalid answer' },
  'ocsp.reason.no-responder': { 'zh-TW': '無查詢位址', en: 'no responder' },
  'ocsp.reason.no-issuer': { 'zh-TW': '無CA憑證', en: 'no CA certificate' },
  'ocsp.reason.unverifiable': { 'zh-TW': '無法驗證', en: 'unverifiable' },
  'ocsp.reason.other': { 'zh-TW': '未查驗', en: 'not checked' },
  'card.noReader': { 'zh-TW': '沒有讀卡機：請接上讀卡機', en: 'No reader: connect a card reader' },
  'card.noCard': { 'zh-TW': '無卡片：請將 IC 卡插入讀卡機', en: 'No card: insert the card into a reader' },
  'card.select': { 'zh-TW': '請先選擇卡片', en: 'Select a card reader' },
  'card.reading': { 'zh-TW': '讀取 IC 卡片資訊...', en: 'Reading the card...' },
  'card.notMoica': { 'zh-TW': '這張卡片不是自然人憑證', en: 'This card is not a MOICA citizen certificate card' },
  'result.title': { 'zh-TW': '檢查結果', en: 'Result' },
  'result.checking': { 'zh-TW': '檢查卡片憑證狀態...', en: 'Checking the certificate status...' },
  'result.none': { 'zh-TW': '尚未檢查', en: 'Not checked yet' },
  'result.verdict': { 'zh-TW': '判定 {code}', en: 'verdict {code}' },
  'result.disagreement': { 'zh-TW': 'OCSP 與憑證資料庫的狀態不一致', en: 'OCSP and the registry disagree on the status' },
  'result.ocspWarning': { 'zh-TW': 'OCSP 回應無法驗證（可能遭偽造）：{detail}', en: 'OCSP answer failed verification (possible forgery): {detail}' },
  'status.valid': { 'zh-TW': '有效', en: 'valid' },
  'status.rewrite': { 'zh-TW': '需重寫', en: 'rewrite needed' },
  'status.revoked': { 'zh-TW': '廢止', en: 'revoked' },
  'status.suspended': { 'zh-TW': '停用', en: 'suspended' },
  'status.expired': { 'zh-TW': '已過期', en: 'expired' },
  'status.rewritten': { 'zh-TW': '已完成重寫', en: 'rewrite completed' },
  'status.error': { 'zh-TW': '錯誤', en: 'error' },
  'guidance.title': { 'zh-TW': '處理方式', en: 'What to do' },
  'rewrite.title': { 'zh-TW': '憑證重寫', en: 'Certificate rewrite' },
  'rewrite.pathLoading': { 'zh-TW': '確認寫入方式...', en: 'Finding the write path...' },
  'rewrite.path.virtual-apdu': { 'zh-TW': '寫入方式：示範用的虛擬卡', en: 'Write path: the demo\'s virtual card' },
  'rewrite.path.pkcs11': { 'zh-TW': '寫入方式：HiCOS 卡片管理工具（發卡單位的元件）', en: 'Write path: the issuer\'s HiCOS card tool (its PKCS#11 module)' },
  'rewrite.path.unavailable': { 'zh-TW': '無法重寫：{detail}', en: 'Rewrite unavailable: {detail}' },
  'rewrite.certs.how': { 'zh-TW': '未設定憑證資料庫：請先取得展期後的新憑證。至 https://moica.nat.gov.tw 憑證作業/查詢憑證簽發情形 查詢新憑證序號，下載憑證檔（DER 或 PEM）後，在下方輸入檔案路徑（每個用途一個：簽章、加密）；或離開後執行 moica-check rewrite --serial 序號。寫入前會驗證簽發者與金鑰並備份。', en: 'No registry: the new certificates of the renewal are needed first. Look up their serial numbers at https://moica.nat.gov.tw (憑證作業/查詢憑證簽發情形), download the certificate files (DER or PEM) and type each file\'s path below (one per use: signature, encryption); or quit and run moica-check rewrite --serial HEX. Issuer and key are verified and the card backed up before anything is written.' },
  'rewrite.certs.given': { 'zh-TW': '憑證序號 {slot}: {serial}', en: 'Serial {slot}: {serial}' },
  'rewrite.certs.more': { 'zh-TW': '可再輸入另一個憑證檔，或直接按 Enter 繼續。', en: 'Type another certificate file, or press Enter to go on.' },
  'rewrite.certs.prompt': { 'zh-TW': '憑證檔路徑', en: 'Certificate file' },
  'rewrite.needDigits': { 'zh-TW': '請輸入 6~8 位數字', en: 'Type 6-8 digits' },
  'rewrite.bytes': { 'zh-TW': '{done}/{total} 位元組', en: '{done}/{total} bytes' },
  'rewrite.stepOf': { 'zh-TW': '步驟 {n}/{total}', en: 'step {n}/{total}' },
  'rewrite.failed': { 'zh-TW': '重寫失敗', en: 'Rewrite failed' },
  'rewrite.tooLong': { 'zh-TW': 'PIN碼最多8位數字：多出的數字（{mark}）未被接受，請按刪除鍵移除後再按 Enter；不會截斷後送出。', en: 'A PIN has at most 8 digits: the extra digits ({mark}) were not taken. Delete them, then press Enter; nothing is cut off and sent.' },
  'rewrite.notDigit': { 'zh-TW': 'PIN碼只能是數字（0-9）：剛才的按鍵未輸入。', en: 'A PIN is digits only (0-9): that key was not taken.' },
  'rewrite.lastTry': { 'zh-TW': '最後一次嘗試：PIN碼若再輸入錯誤，卡片將被鎖定。', en: 'Last try: one more wrong PIN blocks the card.' },
  'rewrite.lastTryConfirm': { 'zh-TW': '確定要用最後一次嘗試送出這組PIN碼嗎？按 y 送出，按 n 返回修改。', en: 'Spend the last try on this PIN? y sends it, n goes back to it.' },
  'rewrite.triesLeft': { 'zh-TW': 'PIN碼尚可嘗試 {n} 次。', en: '{n} PIN tries left.' },
  'rewrite.demoPin': { 'zh-TW': '示範卡的PIN碼為 {pin}。', en: 'The demo card\'s PIN is {pin}.' },
  'bar.pcscUp': { 'zh-TW': 'PC/SC {glyph}', en: 'PC/SC {glyph}' },
  'bar.pcscDown': { 'zh-TW': 'PC/SC 未執行', en: 'PC/SC down' },
  'bar.registry': { 'zh-TW': '憑證資料庫', en: 'Registry' },
  'bar.registryOk': { 'zh-TW': '憑證資料庫 {glyph}', en: 'Registry {glyph}' },
  'bar.ocspOk': { 'zh-TW': 'OCSP {glyph}', en: 'OCSP {glyph}' },
  'bar.ocspNot': { 'zh-TW': 'OCSP 未查驗：{reason}', en: 'OCSP not checked: {reason}' },
  'bar.ocspWarn': { 'zh-TW': 'OCSP 警告：{reason}', en: 'OCSP warning: {reason}' },
  'bar.demo': { 'zh-TW': '示範：{scenario}', en: 'demo: {scenario}' },
  'bar.registryUnknown': { 'zh-TW': '憑證資料庫（尚未查詢）', en: 'Registry (not asked yet)' },
  'bar.registryNone': { 'zh-TW': '未設定憑證資料庫（未比對）', en: 'no registry (not compared)' },
  'bar.rewriting': { 'zh-TW': '重寫中，請勿拔取卡片', en: 'rewriting: do not remove the card' },
  'key.quit': { 'zh-TW': '離開', en: 'quit' },
  'key.select': { 'zh-TW': '選擇讀卡機', en: 'reader' },
  'key.redetect': { 'zh-TW': '重新偵測卡片', en: 're-detect' },
  'key.check': { 'zh-TW': '檢查卡片憑證狀態', en: 'check' },
  'key.rewrite': { 'zh-TW': '憑證重寫', en: 'rewrite' },
  'key.help': { 'zh-TW': '說明', en: 'help' },
  'key.scenario': { 'zh-TW': '切換情境', en: 'scenario' },
  'key.lang': { 'zh-TW': 'English', en: '中文' },
  'key.submit': { 'zh-TW': '確定', en: 'submit' },
  'key.addFile': { 'zh-TW': '加入憑證檔', en: 'add file' },
  'key.path': { 'zh-TW': '輸入路徑', en: 'path' },
  'key.cancel': { 'zh-TW': '取消', en: 'cancel' },
  'key.digits': { 'zh-TW': '輸入PIN碼', en: 'PIN' },
  'key.backspace': { 'zh-TW': '刪除', en: 'delete' },
  'key.scroll': { 'zh-TW': '捲動', en: 'scroll' },
  'key.close': { 'zh-TW': '關閉', en: 'close' },
  'key.interrupt': { 'zh-TW': '中止', en: 'interrupt' },
  'key.confirmLastTry': { 'zh-TW': '送出（最後一次）', en: 'send (last try)' },
  'key.back': { 'zh-TW': '返回', en: 'back' },
  'help.title': { 'zh-TW': '說明', en: 'Help' },
  'help.keys': { 'zh-TW': '按鍵', en: 'Keys' },
  'help.faq': { 'zh-TW': '常見問題', en: 'FAQ' },
  'help.legend': { 'zh-TW': '判定結果', en: 'Verdicts' },
  'help.legend.A': { 'zh-TW': '憑證『有效』，IC卡內容與憑證資料庫符合，無需更新。', en: 'Valid, and the card matches the registry: nothing to do.' },
  'help.legend.B-1': { 'zh-TW': '憑證『有效』，但IC卡內容與憑證資料庫不符合，需進行憑證重寫（按 r，輸入PIN碼）。', en: 'Valid, but the card does not match the registry: rewrite it (press r, enter the PIN).' },
  'help.legend.B-2': { 'zh-TW': '完成憑證重寫流程，憑證已可正常使用。', en: 'The rewrite is complete: the certificates can be used.' },
  'help.legend.C': { 'zh-TW': '憑證『廢止、停用、已過期』，不進行憑證重寫；畫面上的處理方式說明如何處理。', en: 'Revoked, suspended or expired: never rewritten; the screen says what to do instead.' },
  'help.group.main': { 'zh-TW': '主畫面', en: 'Main screen' },
  'help.group.pin': { 'zh-TW': '輸入PIN碼時', en: 'While typing the PIN' },
  'help.group.rewrite': { 'zh-TW': '憑證重寫時', en: 'During a rewrite' },
  'help.group.help': { 'zh-TW': '說明畫面', en: 'In the help' },
  'help.group.palette': { 'zh-TW': '命令選單', en: 'In the command palette' },
  'help.space': { 'zh-TW': '空白鍵', en: 'space' },
  'faq.mismatch.q': { 'zh-TW': '為何IC卡內容會與憑證資料庫不符合？', en: 'Why does the card differ from the registry?' },
  'faq.mismatch.a': { 'zh-TW': '線上展期分為簽發與寫入兩個程序，網路或讀卡機不穩時可能已簽發卻未寫入IC卡。經檢測重寫後，已簽發的憑證寫入卡片即可正常使用。', en: 'An online renewal issues the certificate, then writes it to the card. A flaky network or reader can leave it issued but not written. The rewrite writes the issued certificates onto the card.' },
  'faq.suspended.q': { 'zh-TW': '憑證狀態為『停用』如何處理？', en: 'Status "suspended": what now?' },
  'faq.suspended.a': { 'zh-TW': '請先至 moica.nat.gov.tw 憑證作業/憑證復用 申請復用，再進行操作。', en: 'Apply for reinstatement (復用) at moica.nat.gov.tw, then check again.' },
  'faq.expired.q': { 'zh-TW': '憑證狀態為『已過期』如何處理？', en: 'Status "expired": what now?' },
  'faq.expired.a': { 'zh-TW': '五年效期：到期前60天至到期後3年內可申請展期（限一次，最長8年）。已滿8年者，請攜身分證正本、IC卡工本費250元及E-MAIL信箱，親臨任一戶政事務所重新申請。', en: 'A 5-year certificate can be renewed once (展期), from 60 days before expiry to 3 years after (8 years at most). After 8 years, re-apply in person at any household registration office with your ID card, NT$250 and an e-mail address.' },
  'faq.revoked.q': { 'zh-TW': '憑證狀態為『廢止』如何處理？', en: 'Status "revoked": what now?' },
  'faq.revoked.a': { 'zh-TW': '已無法使用。請攜身分證正本、IC卡工本費250元及E-MAIL信箱，親臨任一戶政事務所重新申請。', en: 'It cannot be used again. Re-apply in person at any household registration office with your ID card, NT$250 and an e-mail address.' },
  'faq.lookup.q': { 'zh-TW': '如何查詢憑證狀態？', en: 'How do I look up a certificate?' },
  'faq.lookup.a': { 'zh-TW': 'moica.nat.gov.tw 憑證作業/查詢憑證簽發情形，輸入姓名及IC卡卡號。', en: 'moica.nat.gov.tw, 憑證作業/查詢憑證簽發情形, with your name and card number.' },
  'faq.help.q': { 'zh-TW': '無法正常操作？', en: 'Nothing works?' },
  'faq.help.a': { 'zh-TW': '請洽免付費客服專線 0800-080-117，或本人持身分證正本及IC卡至鄰近戶政事務所檢測。', en: 'Call the free helpline 0800-080-117, or take your ID card and the card to a household registration office.' },
  ...WORKBENCH,
} as const satisfies Catalogue, { missing: 'keep' });

export type UiKey = keyof typeof UI;

function table(lang: Lang): Record<UiKey, string> {
  return Object.fromEntries(Object.entries(UI).map(([key, entry]) => [key, entry[lang]])) as Record<UiKey, string>;
}
/** The catalogue as one table per language (the palette's filter, tests). */
export const UI_TEXT: Record<Lang, Record<UiKey, string>> = { 'zh-TW': table('zh-TW'), en: table('en') };

/** The FAQ entries in the order the help view shows them. */
export const FAQ = ['mismatch', 'suspended', 'expired', 'revoked', 'lookup', 'help'] as const;

// ---- the check catalogue's texts as the TUI shows them. What came from outside (a certificate's name, a
// server's words) in their parameters goes through sanitize(), as everything outside does (ui/text/outside.ts).

function sanitized(params: Vars): Vars {
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, typeof v === 'string' ? sanitize(v) : v]));
}

export function verdictText(lang: Lang, verdict: Verdict): string {
  return text(lang, verdict.message.key, sanitized(verdict.message.params));
}

export function guidanceText(lang: Lang, item: GuidanceItem): string {
  return text(lang, item.key, sanitized(item.params));
}

export function stepText(lang: Lang, step: RewriteStep): string {
  return t(lang, `rewrite.step.${step}`, {});
}

/** errorText's options on the screen: details sanitised; a code with no text shows the error's own message. */
export const ON_SCREEN: ErrorTextOptions = { clean: sanitize, fallback: (error) => sanitize(error.message) };

export function rewriteWarningText(lang: Lang): string {
  return t(lang, 'rewrite.warning', {});
}

export function pinPromptText(lang: Lang): string {
  return t(lang, 'rewrite.pin-prompt', {});
}

/** The B-2 sentence: 完成憑證重寫流程！憑證已可正常使用。 */
export function rewriteDoneText(lang: Lang): string {
  return t(lang, 'verdict.B-2', {});
}
