/**
 * Where the issuer's PKCS#11 module may be on this machine (issuer-services.md §4): macOS
 * `libHicos_p11v1.dylib` inside HiPKILocalSignServer (confirmed), Windows `HiCOSPKCS11.dll` (confirmed),
 * Linux `libHicos_p11*.so` (unconfirmed: looked for in the usual library directories and inside any
 * HiPKILocalSignServer / HiCOS folder under /opt or the home directory). `doctor` says every place searched.
 *
 * Tests point the search elsewhere: MOICA_PKCS11_SEARCH_ROOT is put before every absolute system path,
 * HOME (USERPROFILE on Windows) is the home directory.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface ModuleSearch {
  /** Every file and folder looked at, as shown to the user. */
  searched: string[];
  /** Module files found, best first. */
  found: string[];
}

interface Plan {
  files: string[];
  /** Folders searched below (a few levels) for a file whose name matches `name`. */
  trees: string[];
  /** Folders whose direct subfolders matching `folder` are searched as trees. */
  parents: string[];
  name: RegExp;
  folder: RegExp;
}

const MAX_DEPTH = 6;
const MAX_ENTRIES = 4000;
const HIPKI_FOLDER = /hipki|hicos/i;

function plan(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): Plan {
  const root = env.MOICA_PKCS11_SEARCH_ROOT ?? '';
  const sys = (p: string) => (root ? join(root, p) : p);
  const home = (platform === 'win32' ? env.USERPROFILE : env.HOME) ?? '';
  const inHome = (p: string) => (home ? [join(home, p)] : []);
  if (platform === 'darwin') {
    return {
      files: ['/usr/local/lib/libHicos_p11v1.dylib', '/Library/HiCOS/libHicos_p11v1.dylib'].map(sys),
      trees: [sys('/Applications/HiPKILocalSignServer.app'), ...inHome('Applications/HiPKILocalSignServer.app')],
      parents: [sys('/Applications'), ...inHome('Applications'), ...inHome('Downloads')],
      name: /^libHicos_p11.*\.dylib$/i,
      folder: HIPKI_FOLDER,
    };
  }
  if (platform === 'win32') {
    const windir = env.SystemRoot ?? 'C:\\Windows';
    return {
      files: [join(windir, 'System32', 'HiCOSPKCS11.dll'), join(windir, 'SysWOW64', 'HiCOSPKCS11.dll')],
      trees: [],
      parents: [env.ProgramFiles ?? 'C:\\Program Files', env['ProgramFiles(x86)'] ?? 'C:\\Program Files (x86)', ...inHome('Downloads')],
      name: /^HiCOSPKCS11\.dll$/i,
      folder: /hipki|hicos|chunghwa/i,
    };
  }
  const libs = ['/usr/lib', '/usr/lib64', '/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/local/lib', '/usr/local/lib64'];
  return {
    files: libs.flatMap((d) => [`${d}/libHicos_p11.so`, `${d}/libHicos_p11v1.so`]).map(sys),
    trees: [sys('/opt/HiPKILocalSignServer'), ...inHome('HiPKILocalSignServer')],
    parents: [sys('/opt'), sys('/usr/local'), ...inHome(''), ...inHome('Downloads')],
    name: /^libHicos_p11.*\.so(\.[0-9]+)*$/i,
    folder: HIPKI_FOLDER,
  };
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function list(dir: string): string[] | undefined {
  try {
    return readdirSync(dir);
  } catch {
    return undefined;
  }
}

/** Files matching `name` below `dir`, a few levels deep, visiting a bounded number of entries. */
function findBelow(dir: string, name: RegExp, budget: { left: number }, depth = 0, out: string[] = []): string[] {
  const entries = list(dir);
  if (entries === undefined) return out;
  for (const entry of entries.sort()) {
    if (--budget.left < 0) return out;
    const path = join(dir, entry);
    let stat;
    try {
      stat = statSync(path);
    } catch {
      continue;
    }
    if (stat.isFile() && name.test(entry)) out.push(path);
    else if (stat.isDirectory() && depth < MAX_DEPTH) findBelow(path, name, budget, depth + 1, out);
  }
  return out;
}

export function searchModule(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): ModuleSearch {
  const p = plan(platform, env);
  const searched: string[] = [];
  const found: string[] = [];
  const budget = { left: MAX_ENTRIES };
  for (const file of p.files) {
    searched.push(file);
    if (isFile(file)) found.push(file);
  }
  const trees = [...p.trees];
  for (const parent of p.parents) {
    for (const entry of list(parent) ?? []) {
      const tree = join(parent, entry);
      if (p.folder.test(entry) && !trees.includes(tree)) trees.push(tree);
    }
  }
  for (const tree of trees) {
    searched.push(`${tree}${platform === 'win32' ? '\\' : '/'}…`);
    for (const f of findBelow(tree, p.name, budget)) if (!found.includes(f)) found.push(f);
  }
  // Parents searched only for HiPKI / HiCOS folders are named too, so "searched" is the whole truth.
  for (const parent of p.parents) searched.push(`${parent}${platform === 'win32' ? '\\' : '/'}{*HiPKI*,*HiCOS*}`);
  return { searched, found };
}
