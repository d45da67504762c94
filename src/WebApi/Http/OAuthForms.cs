using System.Globalization;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.OAuth.Common;
using AuthPlatform.WebApi.Controllers;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;

namespace AuthPlatform.WebApi.Http;

/// <summary>
/// The form and the error answer of the client-authenticated endpoints (<c>/oauth/token</c>,
/// <c>/oauth/device_authorization</c>, <c>/oauth/revoke</c>, <c>/oauth/introspect</c>): form-urlencoded (RFC 6749 3.2), bounded, no
/// parameter twice, the client's credentials by HTTP Basic or in the form, and RFC 6749 5.2 errors
/// (<c>invalid_client</c> 401 with a Basic challenge, 429 with <c>Retry-After</c>, 400 otherwise).
/// An action that reads its form here takes no parameter: with one, MVC's model binding reads the
/// form first with the framework's wide limits and answers a problem+json of its own.
/// </summary>
public static class OAuthForms
{
    private const int MaxParameterLength = 8192;

    private static readonly FormOptions Limits = new()
    {
        ValueCountLimit = 64,
        KeyLengthLimit = 128,
        ValueLengthLimit = MaxParameterLength,
        BufferBodyLengthLimit = 64 * 1024,
    };

    /// <summary>The form; or the <c>invalid_request</c> that answers a wrong content type, a malformed form or a repeated parameter.</summary>
    public static async Task<(IFormCollection? Form, Error? Error)> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        if (!Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(request.ContentType, out var media)
            || !media.MediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            return (null, OAuthErrors.InvalidRequest("The request must be sent as application/x-www-form-urlencoded."));
        }

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(Limits, ct);
        }
        catch (InvalidDataException)
        {
            return (null, OAuthErrors.InvalidRequest("The form is malformed or too large."));
        }

        if (form.Count > Limits.ValueCountLimit || form.Any(p => p.Key.Length > Limits.KeyLengthLimit || p.Value.Any(v => v?.Length > MaxParameterLength)))
        {
            return (null, OAuthErrors.InvalidRequest(
                $"The form is too large: at most {Limits.ValueCountLimit} values, names of {Limits.KeyLengthLimit} and values of {MaxParameterLength} characters."));
        }

        if (form.FirstOrDefault(p => p.Value.Count > 1) is { Key: { } repeated } && repeated.Length > 0)
        {
            return (null, OAuthErrors.InvalidRequest($"The parameter '{Shorten(repeated)}' was sent more than once."));
        }

        return (form, null);
    }

    public static string? Single(IFormCollection form, string name) =>
        form.TryGetValue(name, out var values) && values.Count == 1 ? values[0] : null;

    /// <summary>The client's credentials: the Authorization header (one only) and the form's <c>client_id</c>, <c>client_secret</c>.</summary>
    public static ClientCredentialsInput ClientOf(HttpRequest request, IFormCollection form)
    {
        var header = request.Headers.Authorization;
        return new ClientCredentialsInput(
            header.Count == 1 ? header.ToString() : header.Count > 1 ? "invalid" : null, Single(form, "client_id"), Single(form, "client_secret"));
    }

    /// <summary>RFC 6749 section 5.2, as the token endpoint answers it.</summary>
    public static ObjectResult Error(HttpResponse response, Error error)
    {
        var (status, code) = error.Code switch
        {
            OAuthErrorCodes.InvalidClient => (StatusCodes.Status401Unauthorized, OAuthErrorCodes.InvalidClient),
            ErrorCodes.RateLimited => (StatusCodes.Status429TooManyRequests, "temporarily_unavailable"),
            ErrorCodes.ValidationFailed => (StatusCodes.Status400BadRequest, OAuthErrorCodes.InvalidRequest),
            OAuthErrorCodes.InvalidRequest or OAuthErrorCodes.InvalidGrant or OAuthErrorCodes.InvalidScope
                or OAuthErrorCodes.UnauthorizedClient or OAuthErrorCodes.UnsupportedGrantType
                or OAuthErrorCodes.AuthorizationPending or OAuthErrorCodes.SlowDown or OAuthErrorCodes.ExpiredToken
                or OAuthErrorCodes.AccessDenied => (StatusCodes.Status400BadRequest, error.Code),
            _ => (StatusCodes.Status400BadRequest, OAuthErrorCodes.InvalidRequest),
        };
        if (status == StatusCodes.Status401Unauthorized)
        {
            response.Headers.WWWAuthenticate = $"Basic realm=\"{OAuthController.Realm}\", charset=\"UTF-8\"";
        }

        if (status == StatusCodes.Status429TooManyRequests)
        {
            response.Headers.RetryAfter = error.Fields?.GetValueOrDefault(ClientAuthentication.RetryAfterField)?.FirstOrDefault()
                ?? 1.ToString(CultureInfo.InvariantCulture);
        }

        var description = error.Code == ErrorCodes.ValidationFailed && error.Fields is { Count: > 0 } fields
            ? string.Join(" ", fields.SelectMany(f => f.Value))
            : error.Message;
        return new ObjectResult(new OAuthErrorResponse(code, description)) { StatusCode = status };
    }

    /// <summary>A parameter's name or value as an error description may quote it: clipped, printable only.</summary>
    public static string Shorten(string value) => ClientAuthentication.Printable(value.Length <= 64 ? value : value[..64] + "…");
}
