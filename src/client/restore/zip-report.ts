/**
 * The text a zip restore adds as its last entry when some files failed verification (see
 * [Note: A zip cannot take back a failed file] in to-zip.ts): which files, why, and what to do,
 * in English and Japanese, the languages of Kura's users.
 */
import { KuraError } from '../../core/errors.ts';
import type { RestoredFile } from './to-folder.ts';

export const REPORT_NAME = 'KURA-RESTORE-REPORT.txt';

export function reportText(failed: readonly RestoredFile[]): string {
  const lines = failed.map((f) => `- ${f.path}\n    ${f.code ?? 'unknown'}: ${reasonOf(f)}`);
  return [
    'Kura restore report / Kura 復元レポート',
    '',
    `${failed.length} file(s) could not be restored: their data could not be fetched, or did not verify`,
    'against the backup. They are NOT in this zip, and unzip tools do not list them; do not trust any',
    'copy of them that a repair tool recovers from this file. The reason for each is below. Try',
    'restoring them again; if a file fails verification again, its copy on the server is damaged.',
    '',
    `${failed.length} 件のファイルを復元できませんでした。データを取得できなかったか、バックアップと一致しませんでした。`,
    'これらのファイルはこの ZIP に含まれておらず、展開ツールにも表示されません。修復ツールでこの ZIP から',
    '取り出したものは信頼しないでください。理由は下記のとおりです。もう一度復元してください。再び検証に',
    '失敗する場合は、サーバー上のデータが破損しています。',
    '',
    'Files / ファイル:',
    ...lines,
    '',
  ].join('\n');
}

function reasonOf(file: RestoredFile): string {
  return file.code && file.code !== 'unknown' ? new KuraError(file.code).message : 'Unknown error.';
}
