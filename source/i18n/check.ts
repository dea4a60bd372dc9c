/**
 * Every check-related sentence, in zh-TW (the issuer's own wording, echoed from its manual) and English.
 * `{name}` is a parameter (shape and t(): i18n/t.ts). Keys: verdict.*, status.*, ocsp.*, guidance.*, rewrite.*, error.<ErrorCode>.
 */
import type { Catalogue } from './shelf.js';

const SITE = 'https://moica.nat.gov.tw';
const REAPPLY_ZH = '如仍有使用憑證之需求，請攜帶身分證正本、IC卡工本費250元及E-MAIL信箱，親臨任一戶政事務所，重新申請自然人憑證。';
const REAPPLY_EN =
  'If you still need a certificate, go in person to any household registration office with your original ID card, the NT$250 IC card fee and an e-mail address, and apply for a new citizen certificate.';
const NOT_REWRITTEN_ZH = '廢止、停用、已過期的憑證因為無法使用，故即使IC卡內容與憑證資料庫不符合，亦不需要重寫憑證。';
const NOT_REWRITTEN_EN = 'Revoked, suspended and expired certificates cannot be used, so they are not rewritten even though the card does not match.';

const NOT_COMPARED_ZH = '（未與憑證資料庫比對：廢止、停用、已過期的憑證無法使用，不需比對，亦不進行憑證重寫。）';
const NOT_COMPARED_EN = '(Not compared with the certificate registry: revoked, suspended and expired certificates cannot be used, need no comparison and are not rewritten.)';
const GET_NEW_ZH = `請至 ${SITE} 憑證作業/查詢憑證簽發情形 查詢新憑證的序號，再以 moica-check rewrite --serial 序號 自內政部憑證管理中心下載並寫入IC卡，或以 moica-check rewrite --certificate 檔案（DER 或 PEM）寫入已取得的憑證檔`;
const GET_NEW_EN = `look up the new certificates' serial numbers at ${SITE} (憑證作業/查詢憑證簽發情形, certificate issuance lookup), then run moica-check rewrite --serial HEX to download them from the issuer and write them to the card, or moica-check rewrite --certificate FILE (DER or PEM) for certificate files you already have`;

export const TEXTS = {
  // ---- verdicts (cli.md, the issuer's check results)
  'verdict.A': {
    'zh-TW': 'IC卡內容與憑證資料庫符合無需更新。憑證狀態為『有效』，可於應用服務正常使用。',
    en: 'The card matches the certificate registry: no update needed. The certificate status is "valid": it can be used with online services.',
  },
  'verdict.B-1': {
    'zh-TW': '憑證狀態為『有效』，可於應用服務正常使用。但IC卡內容與憑證資料庫不符合需進行憑證重寫。',
    en: 'The certificate status is "valid": it can be used with online services. But the card does not match the certificate registry: the certificates must be rewritten.',
  },
  'verdict.C.revoked.match': {
    'zh-TW': '憑證狀態為『廢止』，且IC卡內容與憑證資料庫符合無需更新。',
    en: 'The certificate status is "revoked", and the card matches the certificate registry: no update needed.',
  },
  'verdict.C.suspended.match': {
    'zh-TW': '憑證狀態為『停用』，且IC卡內容與憑證資料庫符合無需更新。',
    en: 'The certificate status is "suspended", and the card matches the certificate registry: no update needed.',
  },
  'verdict.C.expired.match': {
    'zh-TW': '憑證狀態為『已過期』，且IC卡內容與憑證資料庫符合無需更新。',
    en: 'The certificate status is "expired", and the card matches the certificate registry: no update needed.',
  },
  'verdict.C.revoked.mismatch': {
    'zh-TW': `憑證狀態為『廢止』，IC卡內容與憑證資料庫不符合。${NOT_REWRITTEN_ZH}`,
    en: `The certificate status is "revoked", and the card does not match the certificate registry. ${NOT_REWRITTEN_EN}`,
  },
  'verdict.C.suspended.mismatch': {
    'zh-TW': `憑證狀態為『停用』，IC卡內容與憑證資料庫不符合。${NOT_REWRITTEN_ZH}`,
    en: `The certificate status is "suspended", and the card does not match the certificate registry. ${NOT_REWRITTEN_EN}`,
  },
  'verdict.C.expired.mismatch': {
    'zh-TW': `憑證狀態為『已過期』，IC卡內容與憑證資料庫不符合。${NOT_REWRITTEN_ZH}`,
    en: `The certificate status is "expired", and the card does not match the certificate registry. ${NOT_REWRITTEN_EN}`,
  },
  // ---- verdicts without a registry (cli.md "Without a registry")
  'verdict.A.not-compared': {
    'zh-TW': '憑證狀態為『有效』，可於應用服務正常使用。本次未與憑證資料庫比對IC卡內容（未設定憑證資料庫），無法確認卡上是否為最新簽發的憑證；比對需設定憑證資料庫（--registry URL）。',
    en: 'The certificate status is "valid": it can be used with online services. The card was not compared with the certificate registry (none is configured), so whether it holds the latest certificates issued is not known; a comparison needs a registry (--registry URL or MOICA_REGISTRY_URL).',
  },
  'verdict.B-1.superseded': {
    'zh-TW': '已簽發的新憑證狀態為『有效』；但IC卡上的憑證已由展期簽發的新憑證取代（已取代），新憑證尚未寫入IC卡，需進行憑證重寫後才可於應用服務正常使用。',
    en: 'The new certificates issued are "valid", but the ones on the card were replaced by them at a renewal (superseded) and the new ones never reached the card: rewrite the certificates to use the card with online services.',
  },
  'verdict.C.revoked.not-compared': { 'zh-TW': `憑證狀態為『廢止』。${NOT_COMPARED_ZH}`, en: `The certificate status is "revoked". ${NOT_COMPARED_EN}` },
  'verdict.C.suspended.not-compared': { 'zh-TW': `憑證狀態為『停用』。${NOT_COMPARED_ZH}`, en: `The certificate status is "suspended". ${NOT_COMPARED_EN}` },
  'verdict.C.expired.not-compared': { 'zh-TW': `憑證狀態為『已過期』。${NOT_COMPARED_ZH}`, en: `The certificate status is "expired". ${NOT_COMPARED_EN}` },
  'check.no-registry': {
    'zh-TW': '未設定憑證資料庫：憑證狀態來自 {source}，IC卡內容未與憑證資料庫比對。',
    en: 'No registry configured: the statuses come from {source}; the card was not compared with the certificate registry.',
  },
  'check.source.ocsp': { 'zh-TW': 'OCSP', en: 'OCSP' },
  'check.source.crl': { 'zh-TW': '憑證廢止清冊（CRL）', en: 'the CRL' },
  'check.source.none': { 'zh-TW': '憑證效期（無狀態服務回應）', en: 'the certificates\' dates (no status service answered)' },
  'check.superseded': {
    'zh-TW': '憑證序號 {serialNumber} 已被取代（superseded，{source}）。',
    en: 'Certificate {serialNumber} was superseded ({source}).',
  },
  'verdict.B-2': { 'zh-TW': '完成憑證重寫流程！憑證已可正常使用。', en: 'The certificate rewrite is complete! The certificates can be used now.' },
  // ---- status labels
  'status.valid': { 'zh-TW': '有效', en: 'valid' },
  'status.revoked': { 'zh-TW': '廢止', en: 'revoked' },
  'status.suspended': { 'zh-TW': '停用', en: 'suspended' },
  'status.expired': { 'zh-TW': '已過期', en: 'expired' },
  // ---- OCSP cross-check
  'ocsp.checked': { 'zh-TW': '已向OCSP查證憑證狀態。', en: 'Certificate status confirmed with OCSP.' },
  'ocsp.disagreement': {
    'zh-TW': 'OCSP與憑證資料庫的憑證狀態不一致，以較嚴重者為準。',
    en: 'OCSP and the certificate registry disagree on the status: the more severe one is used.',
  },
  'ocsp.not-checked.disabled': { 'zh-TW': '未向OCSP查證（已停用）。', en: 'OCSP not checked (turned off).' },
  'ocsp.not-checked.unreachable': { 'zh-TW': '未向OCSP查證（無法連線），以憑證資料庫為準。', en: 'OCSP not checked (unreachable): the registry\'s word stands.' },
  'ocsp.not-checked.timeout': { 'zh-TW': '未向OCSP查證（回應逾時），以憑證資料庫為準。', en: 'OCSP not checked (timed out): the registry\'s word stands.' },
  'ocsp.not-checked.bad-signature': {
    'zh-TW': '警告：OCSP回應的簽章驗證失敗，可能遭偽造；以憑證資料庫為準。',
    en: 'Warning: the OCSP answer failed its signature check and may be forged; the registry\'s word stands.',
  },
  'ocsp.not-checked.nonce-mismatch': { 'zh-TW': '未採用OCSP回應（nonce不符），以憑證資料庫為準。', en: 'OCSP answer not used (nonce mismatch): the registry\'s word stands.' },
  'ocsp.not-checked.stale': { 'zh-TW': '未採用OCSP回應（已過時），以憑證資料庫為準。', en: 'OCSP answer not used (stale): the registry\'s word stands.' },
  'ocsp.not-checked.invalid': { 'zh-TW': '未採用OCSP回應（格式不正確），以憑證資料庫為準。', en: 'OCSP answer not used (malformed): the registry\'s word stands.' },
  'ocsp.not-checked.no-responder': { 'zh-TW': '未向OCSP查證（憑證未載明OCSP位址）。', en: 'OCSP not checked (the certificate names no responder).' },
  'ocsp.not-checked.unverifiable': {
    'zh-TW': '未採用OCSP回應（找不到簽署者憑證，無法驗證；可指定OCSP回應者憑證），以憑證資料庫為準。',
    en: 'OCSP answer not used (its signer\'s certificate cannot be found, so it cannot be verified; a responder certificate can be pinned): the registry\'s word stands.',
  },
  'ocsp.not-checked.unknown': {
    'zh-TW': 'OCSP 回應憑證序號為「不明」（unknown）：狀態未經OCSP確認。',
    en: 'OCSP answered "unknown" for a certificate: its status is not confirmed by OCSP.',
  },
  'ocsp.no-registry.not-checked': { 'zh-TW': 'OCSP 未提供可用的回應（{reason}）。', en: 'OCSP gave no usable answer ({reason}).' },
  'ocsp.not-checked.no-issuer': { 'zh-TW': '未向OCSP查證（卡片上無簽發CA憑證）。', en: 'OCSP not checked (no issuing CA certificate on the card).' },
  // ---- guidance
  'guidance.none': { 'zh-TW': '不需任何處理。', en: 'Nothing to do.' },
  'guidance.rewrite': {
    'zh-TW': '憑證如需進行憑證重寫請輸入PIN碼，執行憑證重寫，將已簽發的憑證寫入IC卡。',
    en: 'To rewrite, enter the card PIN: the certificates already issued are written to the card.',
  },
  'guidance.compare': {
    'zh-TW': `若曾於線上申請憑證展期，請至 ${SITE} 憑證作業/查詢憑證簽發情形 查詢已簽發的憑證序號；若與上方卡上的憑證序號不同，表示新憑證尚未寫入IC卡，可以 moica-check rewrite --serial 序號 進行憑證重寫。`,
    en: `If you renewed online, look up the serial numbers issued for your card at ${SITE} (憑證作業/查詢憑證簽發情形, certificate issuance lookup); if they differ from the card's serials shown above, the new certificates never reached the card: rewrite them with moica-check rewrite --serial HEX.`,
  },
  'guidance.new-certificates': {
    'zh-TW': `取得新憑證：${GET_NEW_ZH}。寫入前會驗證簽發者與金鑰，並備份卡上原有憑證。`,
    en: `To get the new certificates: ${GET_NEW_EN}. Before anything is written, their issuer and key are verified and the card's certificates are backed up.`,
  },
  'guidance.renewed-online': {
    'zh-TW': `若已於線上申請展期：新憑證已簽發但未寫入IC卡，與需重寫憑證的情形相同。${GET_NEW_ZH}。`,
    en: `If you already renewed online: the new certificates were issued but never written to the card, which is the case of a card that needs a rewrite. To fix it, ${GET_NEW_EN}.`,
  },
  'guidance.reinstate': {
    'zh-TW': `憑證狀態為『停用』，暫時無法使用，敬請先申請憑證復用後再進行操作：內政部憑證管理中心 ${SITE} 憑證作業/憑證復用。`,
    en: `The certificate is suspended and cannot be used for now: apply for reinstatement first, at ${SITE} (憑證作業/憑證復用, certificate reinstatement).`,
  },
  'guidance.renew': {
    'zh-TW': `可申請憑證展期：{opens} 至 {closes}，尚餘 {daysLeft} 天。請至 ${SITE} 憑證作業/憑證展期。依現行規定僅限展期一次，使用期限最長為8年。`,
    en: `Renewal is open from {opens} to {closes}, {daysLeft} days left: ${SITE} (憑證作業/憑證展期, renewal). A certificate can be renewed once, for 8 years of use at most.`,
  },
  'guidance.renew.not-yet': {
    'zh-TW': `憑證展期將於 {opens} 開放，至 {closes} 截止。請屆時至 ${SITE} 憑證作業/憑證展期。`,
    en: `Renewal opens on {opens} and closes on {closes}: then go to ${SITE} (憑證作業/憑證展期, renewal).`,
  },
  'guidance.reapply.closed': {
    'zh-TW': `憑證展期期限（有效期限屆滿後3年內）已於 {closes} 截止。${REAPPLY_ZH}`,
    en: `The renewal window (up to 3 years after expiry) closed on {closes}. ${REAPPLY_EN}`,
  },
  'guidance.reapply.renewed-once': {
    'zh-TW': `此憑證已展期過（依現行規定僅限展期一次），到期後憑證自動失效。${REAPPLY_ZH}`,
    en: `This certificate was already renewed once (only one renewal is allowed): it cannot be renewed again. ${REAPPLY_EN}`,
  },
  'guidance.reapply.eight-years': {
    'zh-TW': `憑證使用期限最長為8年（自 {firstIssued} 起，至 {capDate} 止），無法再展期。${REAPPLY_ZH}`,
    en: `A certificate can be used for 8 years at most (from {firstIssued} to {capDate}): it cannot be renewed. ${REAPPLY_EN}`,
  },
  'guidance.reapply.revoked': {
    'zh-TW': `憑證狀態為『廢止』，已無法使用。${REAPPLY_ZH}`,
    en: `The certificate is revoked and can no longer be used. ${REAPPLY_EN}`,
  },
  'guidance.renewal-open': {
    'zh-TW': `憑證將於 {notAfter} 到期（尚餘 {daysToExpiry} 天），現已可申請憑證展期（至 {closes} 止）：${SITE} 憑證作業/憑證展期。`,
    en: `The certificate expires on {notAfter} ({daysToExpiry} days left); renewal is open now, until {closes}: ${SITE} (憑證作業/憑證展期, renewal).`,
  },
  'guidance.expiring.no-renewal': {
    'zh-TW': `憑證將於 {notAfter} 到期（尚餘 {daysToExpiry} 天），且無法再展期。${REAPPLY_ZH}`,
    en: `The certificate expires on {notAfter} ({daysToExpiry} days left) and cannot be renewed again. ${REAPPLY_EN}`,
  },
  'guidance.lookup': {
    'zh-TW': `如需查詢憑證狀態，請至內政部憑證管理中心，網址：${SITE} 憑證作業/查詢憑證簽發情形，輸入姓名及IC卡卡號即可查詢特定憑證之目前狀態及有效期限。`,
    en: `To look up a certificate's status, go to ${SITE} (憑證作業/查詢憑證簽發情形, certificate issuance lookup) and enter your name and card number.`,
  },
  'guidance.helpline': {
    'zh-TW': '如有任何問題，請洽免付費客服專線：0800-080-117。',
    en: 'For help, call the free helpline: 0800-080-117.',
  },
  // ---- rewrite
  'rewrite.pin-prompt': { 'zh-TW': '請輸入卡片PIN碼(輸入長度為6~8)', en: 'Enter the card PIN (6 to 8 digits)' },
  'rewrite.warning': { 'zh-TW': '請注意!憑證更新時請勿拔取卡片，以免造成卡片損毀', en: 'Caution! Do not remove the card while the certificates are being written: it may damage the card' },
  'rewrite.done': { 'zh-TW': '完成憑證重寫流程！憑證已可正常使用。', en: 'The certificate rewrite is complete! The certificates can be used now.' },
  'rewrite.path': { 'zh-TW': '寫入方式：{path}', en: 'Write path: {path}' },
  'rewrite.confirm': { 'zh-TW': '將已簽發的憑證寫入卡號 {cardNumber} 的IC卡？', en: 'Write the issued certificates onto card {cardNumber}?' },
  'rewrite.already-on-card': {
    'zh-TW': '指定的憑證已在IC卡上，無需重寫。',
    en: 'The certificates given are already on the card: nothing to rewrite.',
  },
  'rewrite.not-allowed': {
    'zh-TW': '廢止、停用、已過期的憑證不進行憑證重寫。',
    en: 'Revoked, suspended and expired certificates are not rewritten.',
  },
  'rewrite.backup-saved': { 'zh-TW': '原有憑證已備份至 {file}', en: 'The card\'s certificates were backed up to {file}' },
  'rewrite.record-failed': {
    'zh-TW': '重寫結果未能回報憑證資料庫（不影響重寫結果）。',
    en: 'The rewrite could not be reported to the registry (the rewrite itself is not affected).',
  },
  'rewrite.step.fresh-check': { 'zh-TW': '重新檢查卡片與憑證資料庫', en: 'Checking the card against the registry again' },
  'rewrite.step.download': { 'zh-TW': '下載已簽發的憑證', en: 'Downloading the issued certificates' },
  'rewrite.step.prove': { 'zh-TW': '驗證憑證序號、簽發者與金鑰', en: 'Verifying serial numbers, issuer and keys' },
  'rewrite.step.pin': { 'zh-TW': '請輸入卡片PIN碼(輸入長度為6~8)', en: 'Enter the card PIN (6 to 8 digits)' },
  'rewrite.step.verify-pin': { 'zh-TW': '驗證PIN碼', en: 'Verifying the PIN' },
  'rewrite.step.key-proof': { 'zh-TW': '確認卡片持有憑證的私密金鑰', en: 'Proving the card holds the certificates\' private keys' },
  'rewrite.step.backup': { 'zh-TW': '備份卡片上的原有憑證', en: 'Backing up the certificates on the card' },
  'rewrite.step.write': { 'zh-TW': '寫入憑證', en: 'Writing a certificate' },
  'rewrite.step.commit': { 'zh-TW': '憑證已寫入', en: 'Certificate written' },
  'rewrite.step.read-back': { 'zh-TW': '讀回並比對寫入的憑證', en: 'Reading back and comparing the written certificates' },
  'rewrite.step.record': { 'zh-TW': '回報重寫結果', en: 'Reporting the rewrite to the registry' },
  'rewrite.step.done': { 'zh-TW': '完成憑證重寫流程！憑證已可正常使用。', en: 'The certificate rewrite is complete! The certificates can be used now.' },
  // ---- errors (source/errors.ts), one per code
  'error.usage': { 'zh-TW': '命令列參數有誤，請以 --help 查看用法。', en: 'Invalid arguments: see --help.' },
  'error.no-tty': {
    'zh-TW': '互動畫面需要終端機；請改用子命令，例如 check --json。',
    en: 'The interactive screen needs a terminal; use a subcommand instead, e.g. check --json.',
  },
  'error.pcsc-unavailable': {
    'zh-TW': '無法連線至智慧卡服務（pcscd），請確認已安裝並啟動。',
    en: 'The smart-card service (pcscd) is not available: install and start it.',
  },
  'error.pcsc-binding-missing': {
    'zh-TW': '無法載入智慧卡程式庫（pcsclite），請安裝 libpcsclite-dev 後重新安裝本程式。',
    en: 'The smart-card library (pcsclite) could not load: install libpcsclite-dev, then reinstall this tool.',
  },
  'error.no-reader': { 'zh-TW': '找不到讀卡機，請接上讀卡機。', en: 'No card reader found: connect one.' },
  'error.reader-ambiguous': { 'zh-TW': '有多台讀卡機符合，請以 --reader 指定。', en: 'More than one reader matches: choose one with --reader.' },
  'error.no-card': { 'zh-TW': '讀卡機中沒有卡片，請插入自然人憑證IC卡。', en: 'No card in the reader: insert your citizen certificate card.' },
  'error.registry-unreachable': { 'zh-TW': '無法連線至憑證資料庫。', en: 'The certificate registry cannot be reached.' },
  'error.crl-unreachable': { 'zh-TW': '無法下載憑證廢止清冊（CRL）。', en: 'The certificate revocation list (CRL) cannot be downloaded.' },
  'error.crl-timeout': { 'zh-TW': '憑證廢止清冊（CRL）下載逾時。', en: 'The certificate revocation list (CRL) download timed out.' },
  'error.crl-invalid': { 'zh-TW': '憑證廢止清冊（CRL）格式不正確。', en: 'The certificate revocation list (CRL) is not valid.' },
  'error.crl-bad-signature': {
    'zh-TW': '警告：憑證廢止清冊（CRL）的簽章驗證失敗，可能遭偽造。',
    en: 'Warning: the certificate revocation list (CRL) failed its signature check and may be forged.',
  },
  'error.registry-timeout': { 'zh-TW': '憑證資料庫回應逾時。', en: 'The certificate registry did not answer in time.' },
  'error.registry-http': { 'zh-TW': '憑證資料庫回應錯誤。', en: 'The certificate registry answered with an error.' },
  'error.registry-invalid': { 'zh-TW': '憑證資料庫的回應格式不正確。', en: 'The certificate registry\'s answer is not valid.' },
  'error.card-not-found': { 'zh-TW': '憑證資料庫查無此卡號。', en: 'The certificate registry does not know this card number.' },
  'error.status-unavailable': {
    'zh-TW': '無法取得憑證狀態：OCSP 與憑證廢止清冊（CRL）皆未回應，無法判定（已讀取的卡片資料仍列出）。',
    en: 'No certificate status: neither OCSP nor the CRL answered, so there is no verdict (what was read from the card is still shown).',
  },
  'error.report-unwritable': { 'zh-TW': '無法寫入客服報告：{path}（{reason}）。', en: 'The helpdesk report cannot be written to {path} ({reason}).' },
  'error.certificate-file-unreadable': { 'zh-TW': '無法讀取指定的憑證檔，未寫入任何資料。', en: 'The certificate file cannot be read: nothing was written.' },
  'error.certificate-file-invalid': {
    'zh-TW': '指定的憑證檔不正確（不是憑證、無法判斷用途或重複指定同一用途），未寫入任何資料。',
    en: 'The certificate file is not usable (not a certificate, no slot from its key usage, or two for one slot): nothing was written.',
  },
  'error.certificate-download-failed': {
    'zh-TW': '無法自內政部憑證管理中心下載指定序號的憑證，未寫入任何資料。',
    en: 'The certificate could not be downloaded from the issuer: nothing was written.',
  },
  'error.not-moica': { 'zh-TW': '這張卡片不是自然人憑證IC卡。', en: 'This card is not a citizen certificate (MOICA) card.' },
  'error.card-inconsistent': {
    'zh-TW': 'IC卡內容不一致（憑證重寫可能曾中斷），請重新執行憑證重寫。',
    en: 'The card is inconsistent (a rewrite may have been interrupted): run the rewrite again.',
  },
  'error.card-removed': { 'zh-TW': '卡片已被移除。', en: 'The card was removed.' },
  'error.card-error': { 'zh-TW': '與卡片通訊失敗。', en: 'Communication with the card failed.' },
  'error.card-timeout': { 'zh-TW': '卡片回應逾時。', en: 'The card did not answer in time.' },
  'error.card-answer-invalid': { 'zh-TW': '卡片回傳的資料格式不正確。', en: 'The card returned malformed data.' },
  'error.rewrite-not-allowed': {
    'zh-TW': '僅在憑證狀態為『有效』且IC卡內容與憑證資料庫不符合時，才可進行憑證重寫。',
    en: 'A rewrite is only possible when the certificate is valid and the card does not match the registry.',
  },
  'error.rewrite-refused': {
    'zh-TW': '憑證資料庫提供的憑證未通過驗證（序號、簽發者或金鑰不符），未寫入任何資料。',
    en: 'A certificate from the registry failed verification (serial number, issuer or key): nothing was written.',
  },
  'error.rewrite-failed': {
    'zh-TW': '憑證重寫失敗。原有憑證已備份，請重新執行憑證重寫。',
    en: 'The rewrite failed. The previous certificates are backed up: run the rewrite again.',
  },
  'error.backup-failed': { 'zh-TW': '無法備份卡片上的憑證，未寫入任何資料。', en: 'The card\'s certificates could not be backed up: nothing was written.' },
  'error.pkcs11-unavailable': { 'zh-TW': '無法載入發卡單位的PKCS#11模組。', en: 'The issuer\'s PKCS#11 module could not be loaded.' },
  'error.pkcs11-cannot-write': {
    'zh-TW': '此PKCS#11模組無法寫入憑證：卡片上的憑證沒有遺失（寫入前已備份）。請改用內政部憑證管理中心的「IC卡檢測重寫」網頁（moica.nat.gov.tw，憑證作業/憑證IC卡檢測重寫）。',
    en: 'This PKCS#11 module cannot write certificates: nothing on the card is lost (it was backed up before any write). Use the issuer\'s 檢測重寫 page instead (moica.nat.gov.tw, 憑證作業/憑證IC卡檢測重寫).',
  },
  'error.pkcs11-error': { 'zh-TW': 'PKCS#11模組回報錯誤。', en: 'The PKCS#11 module reported an error.' },
  'error.pin-malformed': {
    'zh-TW': 'PIN碼格式不正確（輸入長度為6~8位數字），未送至卡片。',
    en: 'The PIN must be 6 to 8 digits; it was not sent to the card.',
  },
  'error.pin-wrong': { 'zh-TW': 'PIN碼錯誤，尚可嘗試 {triesLeft} 次。', en: 'Wrong PIN: {triesLeft} tries left.' },
  'error.pin-blocked': {
    'zh-TW': 'PIN碼已鎖定，無法進行憑證重寫。請以「用戶代碼」至內政部憑證管理中心網站線上解鎖，或攜帶身分證及IC卡至任一戶政事務所辦理解鎖。客服專線：0800-080-117。',
    en: 'The PIN is blocked, so the certificates cannot be rewritten. Unlock it online at the MOICA website with your user code (用戶代碼), or in person at any household registration office (戶政事務所) with your ID card and this card. Helpline: 0800-080-117.',
  },
  'error.card-busy': {
    'zh-TW': '另一個程式正在使用這張卡片，未寫入任何資料。請關閉該程式後再試一次。',
    en: 'Another program is using this card: nothing was written. Close it and try again.',
  },
  'error.pin-last-try-unconfirmed': {
    'zh-TW': '此卡的PIN碼只剩最後 1 次嘗試機會；未經確認，未送出PIN碼。若再輸入錯誤，PIN碼將被鎖定。',
    en: 'The card has one PIN try left; without a confirmation no PIN was sent. A wrong PIN now blocks the card.',
  },
  'error.cancelled': { 'zh-TW': '已取消。', en: 'Cancelled.' },
  'error.internal': { 'zh-TW': '發生未預期的錯誤。', en: 'An unexpected error occurred.' },
} as const satisfies Catalogue;

export type MessageKey = keyof typeof TEXTS;

export function isCheckKey(key: string): key is MessageKey {
  return Object.hasOwn(TEXTS, key);
}
