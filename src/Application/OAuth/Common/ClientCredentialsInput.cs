using System.Net;
using System.Text;
using AuthPlatform.Application.Common.Results;

namespace AuthPlatform.Application.OAuth.Common;

/// <summary>The client authentication methods of the token endpoint (RFC 7591 names).</summary>
public static class ClientAuthMethods
{
    public const string Basic = "client_secret_basic";
    public const string Post = "client_secret_post";
    public const string None = "none";
}

/// <summary>What the request carried to authenticate the client: the Authorization header and the form's fields.</summary>
public sealed record ClientCredentialsInput(string? AuthorizationHeader, string? FormClientId, string? FormClientSecret);

/// <summary>The client id and secret the request presents, and how.</summary>
public sealed record PresentedClient(string ClientId, string? Secret, string Method)
{
    public const int MaxLength = 256;

    /// <summary>
    /// Reads the credentials of RFC 6749 section 2.3.1: HTTP Basic with the id and secret each
    /// form-urlencoded before base64 (<c>client_secret_basic</c>), or <c>client_id</c> and
    /// <c>client_secret</c> in the form (<c>client_secret_post</c>). Using both is
    /// <c>invalid_request</c>; a malformed Basic header or no client id at all is <c>invalid_client</c>.
    /// </summary>
    public static Result<PresentedClient> Read(ClientCredentialsInput input)
    {
        var header = input.AuthorizationHeader;
        if (!string.IsNullOrEmpty(header))
        {
            if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
            {
                return OAuthErrors.InvalidClient with { Message = "Only HTTP Basic client authentication is accepted in the Authorization header." };
            }

            if (input.FormClientSecret is not null)
            {
                return OAuthErrors.InvalidRequest("The client authenticated twice: use HTTP Basic or client_secret in the form, not both.");
            }

            if (!TryDecodeBasic(header["Basic ".Length..].Trim(), out var id, out var secret))
            {
                return OAuthErrors.InvalidClient with { Message = "The HTTP Basic credentials are malformed." };
            }

            if (input.FormClientId is not null && !string.Equals(input.FormClientId, id, StringComparison.Ordinal))
            {
                return OAuthErrors.InvalidRequest("client_id in the form differs from the one in the Authorization header.");
            }

            return new PresentedClient(id, secret, ClientAuthMethods.Basic);
        }

        if (string.IsNullOrEmpty(input.FormClientId))
        {
            return OAuthErrors.InvalidClient with { Message = "Client authentication is required: HTTP Basic, or client_id and client_secret in the form." };
        }

        if (input.FormClientId.Length > MaxLength || input.FormClientSecret?.Length > MaxLength)
        {
            return OAuthErrors.InvalidClient;
        }

        return input.FormClientSecret is null
            ? new PresentedClient(input.FormClientId, null, ClientAuthMethods.None)
            : new PresentedClient(input.FormClientId, input.FormClientSecret, ClientAuthMethods.Post);
    }

    private static bool TryDecodeBasic(string encoded, out string id, out string secret)
    {
        id = secret = string.Empty;
        if (encoded.Length is 0 or > 4 * MaxLength)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[encoded.Length];
        if (!Convert.TryFromBase64String(encoded, bytes, out var written))
        {
            return false;
        }

        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes[..written]);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return false;
        }

        // RFC 6749 2.3.1: both parts are application/x-www-form-urlencoded ("+" is a space, "%3A" a colon).
        id = WebUtility.UrlDecode(text[..colon]);
        secret = WebUtility.UrlDecode(text[(colon + 1)..]);
        return id.Length is > 0 and <= MaxLength && secret.Length <= MaxLength && !id.Any(char.IsControl);
    }
}
