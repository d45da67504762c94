using AuthPlatform.Application.TwoFactor.Common;
using QRCoder;

namespace AuthPlatform.Infrastructure.TwoFactor;

/// <summary>PNG QR codes with QRCoder's own PNG writer (no System.Drawing).</summary>
public sealed class QrCoderRenderer : IQrCodeRenderer
{
    public byte[] Png(string text)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        return new PngByteQRCode(data).GetGraphic(6);
    }
}
