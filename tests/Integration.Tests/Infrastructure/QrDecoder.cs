using System.Buffers.Binary;
using System.IO.Compression;
using ZXing;
using ZXing.Common;
using ZXing.QrCode;

namespace AuthPlatform.Integration.Tests.Infrastructure;

/// <summary>
/// Reads a QR code out of a PNG as a phone would: a small PNG decoder (zlib + scanline filters)
/// feeding ZXing.Net's QR reader. Nothing of the product's QRCoder is used.
/// </summary>
public static class QrDecoder
{
    public static string Decode(byte[] png)
    {
        var (width, height, gray) = DecodePng(png);
        var source = new RGBLuminanceSource(gray, width, height, RGBLuminanceSource.BitmapFormat.Gray8);
        var result = new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(source)), new Dictionary<DecodeHintType, object> { [DecodeHintType.PURE_BARCODE] = false })
            ?? throw new InvalidOperationException("No QR code found in the image.");
        return result.Text;
    }

    /// <summary>Decodes a non-interlaced PNG (grey, RGB, palette, with or without alpha; 1 to 8 bits) to 8-bit grey.</summary>
    public static (int Width, int Height, byte[] Gray) DecodePng(byte[] png)
    {
        ReadOnlySpan<byte> signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
        if (!png.AsSpan(0, 8).SequenceEqual(signature))
        {
            throw new InvalidDataException("Not a PNG.");
        }

        int width = 0, height = 0, bitDepth = 0, colorType = 0;
        byte[] palette = [];
        using var idat = new MemoryStream();
        for (var pos = 8; pos < png.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(pos));
            var type = System.Text.Encoding.ASCII.GetString(png, pos + 4, 4);
            var data = png.AsSpan(pos + 8, length);
            switch (type)
            {
                case "IHDR":
                    width = BinaryPrimitives.ReadInt32BigEndian(data);
                    height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                    bitDepth = data[8];
                    colorType = data[9];
                    if (data[12] != 0)
                    {
                        throw new InvalidDataException("Interlaced PNGs are not supported.");
                    }

                    break;
                case "PLTE":
                    palette = data.ToArray();
                    break;
                case "IDAT":
                    idat.Write(data);
                    break;
            }

            pos += 12 + length;
        }

        var channels = colorType switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, 6 => 4, _ => throw new InvalidDataException($"Color type {colorType}.") };
        var bitsPerPixel = channels * bitDepth;
        var stride = (width * bitsPerPixel + 7) / 8;
        var bpp = Math.Max(1, bitsPerPixel / 8);
        idat.Position = 0;
        using var inflated = new MemoryStream();
        using (var z = new ZLibStream(idat, CompressionMode.Decompress))
        {
            z.CopyTo(inflated);
        }

        var raw = inflated.ToArray();
        var rows = new byte[height * stride];
        for (var y = 0; y < height; y++)
        {
            var filter = raw[y * (stride + 1)];
            var src = raw.AsSpan(y * (stride + 1) + 1, stride);
            var row = rows.AsSpan(y * stride, stride);
            var prior = y > 0 ? rows.AsSpan((y - 1) * stride, stride) : new byte[stride];
            for (var x = 0; x < stride; x++)
            {
                int a = x >= bpp ? row[x - bpp] : 0, b = prior[x], c = x >= bpp ? prior[x - bpp] : 0;
                row[x] = (byte)(src[x] + filter switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => Paeth(a, b, c),
                    _ => throw new InvalidDataException($"Filter {filter}."),
                });
            }
        }

        var gray = new byte[width * height];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                gray[y * width + x] = Pixel(rows, y * stride, x, bitDepth, colorType, palette);
            }
        }

        return (width, height, gray);
    }

    private static byte Pixel(byte[] rows, int rowStart, int x, int bitDepth, int colorType, byte[] palette)
    {
        if (bitDepth < 8)
        {
            var perByte = 8 / bitDepth;
            var value = (rows[rowStart + x / perByte] >> ((perByte - 1 - x % perByte) * bitDepth)) & ((1 << bitDepth) - 1);
            return colorType == 3 ? Luma(palette[value * 3], palette[value * 3 + 1], palette[value * 3 + 2]) : (byte)(value * 255 / ((1 << bitDepth) - 1));
        }

        return colorType switch
        {
            0 or 4 => rows[rowStart + x * (colorType == 0 ? 1 : 2)],
            3 => Luma(palette[rows[rowStart + x] * 3], palette[rows[rowStart + x] * 3 + 1], palette[rows[rowStart + x] * 3 + 2]),
            2 => Luma(rows[rowStart + x * 3], rows[rowStart + x * 3 + 1], rows[rowStart + x * 3 + 2]),
            _ => Luma(rows[rowStart + x * 4], rows[rowStart + x * 4 + 1], rows[rowStart + x * 4 + 2]),
        };
    }

    private static byte Luma(byte r, byte g, byte b) => (byte)((r * 299 + g * 587 + b * 114) / 1000);

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
