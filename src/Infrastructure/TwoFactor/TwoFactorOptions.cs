namespace AuthPlatform.Infrastructure.TwoFactor;

/// <summary>Configuration section <c>TwoFactor</c>.</summary>
public sealed class TwoFactorOptions
{
    public const string SectionName = "TwoFactor";

    /// <summary>The name authenticator apps show beside the account.</summary>
    public string Issuer { get; set; } = "AuthPlatform";
}
