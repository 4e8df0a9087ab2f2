import type { Clipboard } from '@core/ports';

/** The clipboard of the preview and the tests: the bridge's stand-in for Electron's. */
export class MemoryClipboard implements Clipboard {
  text = '';

  readText(): Promise<string> {
    return Promise.resolve(this.text);
  }

  writeText(text: string): Promise<void> {
    this.text = text;
    return Promise.resolve();
  }

  clear(): Promise<void> {
    this.text = '';
    return Promise.resolve();
  }
}
