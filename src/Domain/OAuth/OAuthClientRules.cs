// Longer than 150 lines because the redirect-URI rules (RFC 6749 3.1.2, RFC 8252, RFC 9700 2.1) and the grant-type rules are one decision, written once for the validators and the aggregate.
using AuthPlatform.Domain.Authorization;

namespace AuthPlatform.Domain.OAuth;

/// <summary>The two kinds of client of RFC 6749 section 2.1.</summary>
public enum OAuthClientType
{
    /// <summary>Can keep a secret (a server-side app): authenticates at the token endpoint.</summary>
    Confidential,

    /// <summary>Cannot keep a secret (a native or browser app): no secret, PKCE instead.</summary>
    Public,
}

/// <summary>The grant types a client may be registered for.</summary>
public static class OAuthGrantTypes
{
    public const string AuthorizationCode = "authorization_code";
    public const string RefreshToken = "refresh_token";
    public const string ClientCredentials = "client_credentials";
    public const string Password = "password";

    /// <summary>The device authorization grant (RFC 8628) of command-line tools and devices without a browser.</summary>
    public const string DeviceCode = "urn:ietf:params:oauth:grant-type:device_code";

    public static IReadOnlyList<string> All { get; } = [AuthorizationCode, RefreshToken, ClientCredentials, Password, DeviceCode];

    public static bool IsKnown(string? grantType) => grantType is not null && All.Contains(grantType, StringComparer.Ordinal);
}

/// <summary>
/// OpenID Connect's identity scopes. They name data about the signed-in user (who consents to
/// them), not permissions on this API, so a client may list them whatever its creator holds.
/// (<c>profile</c> is also a built-in API scope; it is held by every user anyway.)
/// </summary>
public static class OAuthIdentityScopes
{
    public const string OpenId = "openid";
    public const string Email = "email";

    public static IReadOnlyList<string> All { get; } = [OpenId, Email, Scopes.Profile];

    public static bool Contains(string scope) => All.Contains(scope, StringComparer.Ordinal);
}

/// <summary>One broken registration rule: the request field it concerns and why.</summary>
public sealed record ClientRuleViolation(string Field, string Message);

/// <summary>
/// The registration rules of a client, one implementation for the request validators (field
/// errors, 400) and for <see cref="OAuthClient"/> (a broken rule there is a bug).
/// <para>Redirect URIs (also post-logout ones) are matched exactly, so they are stored as given and must be:</para>
/// <list type="bullet">
/// <item>absolute, printable ASCII (percent-encode or punycode anything else), at most <see cref="MaxUriLength"/> characters;</item>
/// <item>without a fragment (RFC 6749 3.1.2), user information, or any <c>*</c> (no wildcards);</item>
/// <item><c>https</c> with a host; or <c>http</c> only on a loopback host (<c>127.0.0.1</c>, <c>[::1]</c>, <c>localhost</c>;
/// RFC 8252 7.3), whose port may vary when matched; or, for public clients only, a private-use scheme
/// in reverse-domain form with a dot, such as <c>com.example.app:/callback</c> (RFC 8252 7.1).</item>
/// </list>
/// </summary>
public static class OAuthClientRules
{
    public const int MaxNameLength = 100;
    public const int MaxUris = 10;
    public const int MaxUriLength = 2048;
    public const int MaxScopes = 64;

    /// <summary>Null when <paramref name="uri"/> may be registered for a client of <paramref name="type"/>; else why not.</summary>
    public static string? RedirectUriProblem(string? uri, OAuthClientType type)
    {
        if (string.IsNullOrEmpty(uri))
        {
            return "A redirect URI cannot be empty.";
        }

        if (uri.Length > MaxUriLength)
        {
            return $"A redirect URI is at most {MaxUriLength} characters long.";
        }

        if (uri.Any(c => c is <= ' ' or > '~'))
        {
            return "A redirect URI holds printable ASCII only, without spaces: percent-encode or punycode other characters.";
        }

        if (uri.Contains('#', StringComparison.Ordinal))
        {
            return "A redirect URI cannot have a fragment (#).";
        }

        if (uri.Contains('*', StringComparison.Ordinal))
        {
            return "Wildcards (*) are not allowed: register every redirect URI exactly.";
        }

        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || uri.StartsWith('/'))
        {
            return "A redirect URI must be absolute (scheme and host), such as https://app.example.com/callback.";
        }

        if (!string.IsNullOrEmpty(parsed.UserInfo))
        {
            return "A redirect URI cannot carry user information (user@host).";
        }

        return parsed.Scheme switch
        {
            "https" => string.IsNullOrEmpty(parsed.Host) ? "An https redirect URI needs a host." : null,
            "http" => IsLoopbackHost(parsed.Host)
                ? null
                : "http is allowed only for loopback addresses (http://127.0.0.1, http://[::1], http://localhost); use https.",
            _ when type == OAuthClientType.Public && parsed.Scheme.Contains('.', StringComparison.Ordinal) => null,
            _ when parsed.Scheme.Contains('.', StringComparison.Ordinal) =>
                "Private-use schemes (RFC 8252) are for native apps, which are public clients.",
            _ => "A redirect URI uses https, http on a loopback address, or (for native apps) a private-use scheme such as com.example.app:/callback.",
        };
    }

    /// <summary>True for <c>127.0.0.1</c>, <c>[::1]</c> and <c>localhost</c> (as <see cref="Uri.Host"/> gives them).</summary>
    public static bool IsLoopbackHost(string host) =>
        host is "127.0.0.1" or "[::1]" || string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The rules between fields: known grant types without duplicates, none for a public client
    /// that needs a secret, <c>password</c> only for a first-party client, <c>refresh_token</c> only
    /// with a grant that issues one (the device grant among them), redirect URIs for <c>authorization_code</c>.
    /// </summary>
    public static IReadOnlyList<ClientRuleViolation> CheckGrants(
        OAuthClientType type, IReadOnlyCollection<string> grantTypes, int redirectUriCount, bool firstParty)
    {
        var problems = new List<ClientRuleViolation>();
        if (grantTypes.Count == 0)
        {
            problems.Add(new("grant_types", "Name at least one grant type."));
        }

        foreach (var grant in grantTypes.Where(g => !OAuthGrantTypes.IsKnown(g)).Take(1))
        {
            problems.Add(new("grant_types", $"Unknown grant type '{Shorten(grant)}': use {string.Join(", ", OAuthGrantTypes.All)}."));
        }

        if (grantTypes.Distinct(StringComparer.Ordinal).Count() != grantTypes.Count)
        {
            problems.Add(new("grant_types", "A grant type is listed twice."));
        }

        if (type == OAuthClientType.Public && grantTypes.Contains(OAuthGrantTypes.ClientCredentials))
        {
            problems.Add(new("grant_types", "A public client cannot use client_credentials: it has no secret to authenticate with."));
        }

        if (grantTypes.Contains(OAuthGrantTypes.Password) && !firstParty)
        {
            problems.Add(new("grant_types", "The password grant is only for first-party clients, which an administrator marks (RFC 9700 2.4)."));
        }

        if (grantTypes.Contains(OAuthGrantTypes.RefreshToken) && !grantTypes.Contains(OAuthGrantTypes.AuthorizationCode)
            && !grantTypes.Contains(OAuthGrantTypes.Password) && !grantTypes.Contains(OAuthGrantTypes.DeviceCode))
        {
            problems.Add(new("grant_types", $"refresh_token needs authorization_code, password or {OAuthGrantTypes.DeviceCode}, the grants that issue refresh tokens."));
        }

        if (grantTypes.Contains(OAuthGrantTypes.AuthorizationCode) && redirectUriCount == 0)
        {
            problems.Add(new("redirect_uris", "authorization_code needs at least one redirect URI."));
        }

        return problems;
    }

    /// <summary>
    /// True when <paramref name="presented"/> matches <paramref name="registered"/>: the same string,
    /// except that on a loopback <c>http</c> address the port may differ (RFC 8252 7.3, RFC 9700 2.1).
    /// </summary>
    public static bool RedirectUriMatches(string registered, string presented)
    {
        if (string.Equals(registered, presented, StringComparison.Ordinal))
        {
            return true;
        }

        if (!registered.StartsWith("http://", StringComparison.Ordinal) || !presented.StartsWith("http://", StringComparison.Ordinal)
            || !Uri.TryCreate(registered, UriKind.Absolute, out var r) || !Uri.TryCreate(presented, UriKind.Absolute, out var p)
            || !IsLoopbackHost(r.Host) || presented.Any(c => c is <= ' ' or > '~' or '#'))
        {
            return false;
        }

        // Everything but the port, compared as written: the host and the path with its query.
        return string.Equals(WithoutPort(registered, r), WithoutPort(presented, p), StringComparison.Ordinal);
    }

    private static string WithoutPort(string uri, Uri parsed)
    {
        var authorityEnd = uri.IndexOfAny(['/', '?'], "http://".Length);
        var authority = authorityEnd < 0 ? uri["http://".Length..] : uri["http://".Length..authorityEnd];
        var rest = authorityEnd < 0 ? string.Empty : uri[authorityEnd..];
        var host = parsed.IsDefaultPort && !authority.EndsWith(":80", StringComparison.Ordinal) ? authority : authority[..authority.LastIndexOf(':')];
        return host + (rest.Length == 0 ? "/" : rest);
    }

    private static string Shorten(string? value) => value is null ? "null" : value.Length <= 40 ? value : value[..40] + "…";
}
