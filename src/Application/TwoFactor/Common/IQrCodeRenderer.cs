namespace AuthPlatform.Application.TwoFactor.Common;

/// <summary>Draws a QR code as a PNG.</summary>
public interface IQrCodeRenderer
{
    byte[] Png(string text);
}
