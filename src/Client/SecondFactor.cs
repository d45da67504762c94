using Microsoft.Kiota.Abstractions;

namespace AuthPlatform.Client;

/// <summary>
/// Step-up: the proof of the second factor that creating or rotating an API key, changing the password and a few
/// other calls need when the account has 2FA on (docs/api.md, "Second factor"), sent as <c>X-2FA-Code</c>.
/// </summary>
/// <example>
/// <code>
/// await client.Api.Api.V1.Auth.ApiKeys.PostAsync(body, SecondFactor.Code&lt;DefaultQueryParameters&gt;("492039"));
/// </code>
/// </example>
public static class SecondFactor
{
    /// <summary>The request header that carries a current TOTP code.</summary>
    public const string HeaderName = "X-2FA-Code";

    /// <summary>A request configuration for a generated call that adds <c>X-2FA-Code: <paramref name="code"/></c>.</summary>
    public static Action<RequestConfiguration<T>> Code<T>(string code)
        where T : class, new()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(code);
        return configuration => configuration.Headers.Add(HeaderName, code.Trim());
    }
}
