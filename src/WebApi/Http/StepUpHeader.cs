namespace AuthPlatform.WebApi.Http;

/// <summary>
/// The header that carries a current TOTP code as step-up proof for a sensitive operation
/// (SPEC section 7). Actions bind it and pass it to their command as its step-up code.
/// </summary>
public static class StepUpHeader
{
    public const string Name = "X-2FA-Code";
}
