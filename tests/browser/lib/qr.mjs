// Reads the QR code the page shows, as a phone would: the <img>'s pixels (drawn to a canvas inside the page)
// decoded with jsQR.
import jsQR from 'jsqr';

/** The text of the QR code in the <img> `image` (a Playwright locator). */
export async function decodeQr(image) {
  await image.waitFor({ state: 'visible' });
  const { width, height, pixels } = await image.evaluate(async (img) => {
    if (!img.complete) await new Promise((resolve, reject) => { img.onload = resolve; img.onerror = reject; });
    await img.decode();
    // A white margin of 16 px: the decoder needs a quiet zone whether or not the image has one.
    const margin = 16;
    const canvas = document.createElement('canvas');
    canvas.width = img.naturalWidth + 2 * margin;
    canvas.height = img.naturalHeight + 2 * margin;
    const context = canvas.getContext('2d');
    context.fillStyle = '#fff';
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(img, margin, margin);
    const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
    let binary = '';
    for (let i = 0; i < data.length; i += 0x8000) binary += String.fromCharCode(...data.subarray(i, i + 0x8000));
    return { width: canvas.width, height: canvas.height, pixels: btoa(binary) };
  });
  const rgba = new Uint8ClampedArray(Buffer.from(pixels, 'base64'));
  const found = jsQR(rgba, width, height);
  if (!found) throw new Error(`no QR code found in the image (${width}x${height} with its margin)`);
  return found.data;
}
