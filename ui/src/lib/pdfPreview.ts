// Draws the pages of a statement PDF (made by core) for the preview, with
// pdf.js: the webview cannot show a PDF itself on every system.

import { GlobalWorkerOptions, getDocument, type PDFDocumentProxy } from "pdfjs-dist";
// The worker ships with the app as a file of its own (the content security
// policy allows scripts only from the app itself).
import workerUrl from "pdfjs-dist/build/pdf.worker.min.mjs?url";

GlobalWorkerOptions.workerSrc = workerUrl;

/** A statement opened for the preview. */
export interface PreviewDocument {
  pageCount: number;
  /** Draws page `number` (from 1) into `canvas`, `cssWidth` pixels wide. */
  drawPage(number: number, canvas: HTMLCanvasElement, cssWidth: number): Promise<void>;
  close(): Promise<void>;
}

export async function openPreview(bytes: ArrayBuffer): Promise<PreviewDocument> {
  const pdf: PDFDocumentProxy = await getDocument({
    data: new Uint8Array(bytes),
    // No eval: the content security policy forbids it.
    isEvalSupported: false,
  }).promise;
  return {
    pageCount: pdf.numPages,
    async drawPage(number, canvas, cssWidth) {
      const page = await pdf.getPage(number);
      const unscaled = page.getViewport({ scale: 1 });
      // Sharp on high-density screens: draw at the screen's own pixel size.
      const density = window.devicePixelRatio || 1;
      const viewport = page.getViewport({ scale: (cssWidth / unscaled.width) * density });
      canvas.width = Math.floor(viewport.width);
      canvas.height = Math.floor(viewport.height);
      canvas.style.width = `${cssWidth}px`;
      canvas.style.height = `${Math.floor(viewport.height / density)}px`;
      await page.render({ canvas, viewport }).promise;
    },
    close: () => pdf.destroy(),
  };
}
