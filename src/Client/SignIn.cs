namespace AuthPlatform.Client;

/// <summary>The outcome of <see cref="AuthPlatformClient.SignInAsync"/>.</summary>
public abstract record SignInResult
{
    private SignInResult()
    {
    }

    /// <summary>Signed in: the tokens are in the token store.</summary>
    public sealed record Completed(TokenSet Tokens) : SignInResult;

    /// <summary>The password was right and the account has 2FA on: finish with <see cref="AuthPlatformClient.CompleteSecondFactorAsync"/>.</summary>
    public sealed record SecondFactorRequired(SecondFactorChallenge Challenge) : SignInResult;
}

/// <summary>The challenge of a sign-in with 2FA on: the <c>mfa_token</c>, valid for one sign-in until <paramref name="ExpiresAt"/>.</summary>
public sealed record SecondFactorChallenge(string MfaToken, DateTimeOffset ExpiresAt)
{
    /// <summary>Keeps the token out of logs.</summary>
    public override string ToString() => $"SecondFactorChallenge {{ ExpiresAt = {ExpiresAt:O} }}";
}

/// <summary>A started device authorization (RFC 8628): show <see cref="UserCode"/> and <see cref="VerificationUri"/> to the person, then <see cref="AuthPlatformClient.WaitForDeviceAuthorizationAsync"/>.</summary>
/// <param name="ClientId">The public client that asked.</param>
/// <param name="Scope">The scopes asked for, or null for all of the client's.</param>
/// <param name="DeviceCode">The device's secret code, for polling only.</param>
/// <param name="UserCode">The code the person types or compares, <c>XXXX-XXXX</c>.</param>
/// <param name="VerificationUri">The page where the person enters the code.</param>
/// <param name="VerificationUriComplete">The page with the code filled in.</param>
/// <param name="ExpiresAt">When the codes expire.</param>
/// <param name="Interval">The time to wait between polls.</param>
public sealed record DeviceAuthorization(
    string ClientId, string? Scope, string DeviceCode, string UserCode, Uri VerificationUri, Uri? VerificationUriComplete,
    DateTimeOffset ExpiresAt, TimeSpan Interval)
{
    /// <summary>Keeps the device code out of logs.</summary>
    public override string ToString() => $"DeviceAuthorization {{ ClientId = {ClientId}, UserCode = {UserCode}, VerificationUri = {VerificationUri}, ExpiresAt = {ExpiresAt:O} }}";
}
