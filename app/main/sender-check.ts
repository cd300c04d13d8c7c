// Whether an IPC message comes from the monitor page this process loaded (its main frame, at its URL),
// and not from some other frame or page that found its way into a window.

export interface SenderInfo {
  /** webContents id of the sender. */
  contentsId: number;
  /** URL of the sending frame, if it still exists. */
  frameUrl: string | undefined;
  /** Whether the sending frame is its page's main frame. */
  isMainFrame: boolean;
}

export function trustedSender(sender: SenderInfo, monitorContentsIds: ReadonlySet<number>, pageUrl: string): boolean {
  if (!monitorContentsIds.has(sender.contentsId) || !sender.isMainFrame || sender.frameUrl === undefined) return false;
  // The page is a local file; compare without any fragment or query.
  const url = sender.frameUrl.split(/[?#]/, 1)[0];
  return url === pageUrl;
}
