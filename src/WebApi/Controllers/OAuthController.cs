using System.Globalization;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.OAuth.Common;
using AuthPlatform.Application.OAuth.IssueClientCredentialsToken;
using AuthPlatform.Application.OAuth.Token.IssuePasswordToken;
using AuthPlatform.Application.OAuth.Token.RedeemAuthorizationCode;
using AuthPlatform.Application.OAuth.Token.RedeemRefreshToken;
using AuthPlatform.WebApi.Http;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;

namespace AuthPlatform.WebApi.Controllers;

/// <summary>The RFC 6749 error answer: <c>{"error", "error_description"}</c>.</summary>
public sealed record OAuthErrorResponse(string Error, string? ErrorDescription);

/// <summary>
/// The OAuth 2.0 token endpoint (SPEC section 6). Reads the form (RFC 6749 section 3.2: form-urlencoded,
/// no parameter twice), picks the grant's use case by <c>grant_type</c> and answers RFC 6749 JSON:
/// the token (5.1) or the error (5.2), always with <c>Cache-Control: no-store</c> and <c>Pragma: no-cache</c>.
/// </summary>
[ApiController]
[AllowAnonymous]
[Route("oauth")]
public sealed class OAuthController(ISender sender) : ControllerBase
{
    public const string Realm = "authplatform";
    private const int MaxParameterLength = 8192;

    private static readonly FormOptions Limits = new()
    {
        ValueCountLimit = 64,
        KeyLengthLimit = 128,
        ValueLengthLimit = MaxParameterLength,
        BufferBodyLengthLimit = 64 * 1024,
    };

    [HttpPost("token", Name = "Token")]
    [Produces("application/json")]
    [ProducesResponseType<TokenResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<OAuthErrorResponse>(StatusCodes.Status400BadRequest)]
    [ProducesResponseType<OAuthErrorResponse>(StatusCodes.Status401Unauthorized)]
    [ProducesResponseType<OAuthErrorResponse>(StatusCodes.Status429TooManyRequests)]
    public async Task<IActionResult> Token()
    {
        // No action parameter on purpose: with one, MVC's model binding reads the form first with the
        // framework's wide limits and answers a problem+json of its own; this action reads it with its own.
        var ct = HttpContext.RequestAborted;
        Response.Headers.CacheControl = "no-store";
        Response.Headers.Pragma = "no-cache";
        if (!IsFormUrlEncoded(Request.ContentType))
        {
            return Error(OAuthErrors.InvalidRequest("The token request must be sent as application/x-www-form-urlencoded."));
        }

        IFormCollection form;
        try
        {
            form = await Request.ReadFormAsync(Limits, ct);
        }
        catch (InvalidDataException)
        {
            return Error(OAuthErrors.InvalidRequest("The form is malformed or too large."));
        }

        if (form.Count > Limits.ValueCountLimit || form.Any(p => p.Key.Length > Limits.KeyLengthLimit || p.Value.Any(v => v?.Length > MaxParameterLength)))
        {
            return Error(OAuthErrors.InvalidRequest(
                $"The form is too large: at most {Limits.ValueCountLimit} values, names of {Limits.KeyLengthLimit} and values of {MaxParameterLength} characters."));
        }

        if (form.FirstOrDefault(p => p.Value.Count > 1) is { Key: { } repeated } && repeated.Length > 0)
        {
            return Error(OAuthErrors.InvalidRequest($"The parameter '{Shorten(repeated)}' was sent more than once."));
        }

        var client = new ClientCredentialsInput(
            Request.Headers.Authorization.Count == 1 ? Request.Headers.Authorization.ToString() : Request.Headers.Authorization.Count > 1 ? "invalid" : null,
            Single(form, "client_id"),
            Single(form, "client_secret"));
        var grantType = Single(form, "grant_type");
        if (string.IsNullOrEmpty(grantType))
        {
            return Error(OAuthErrors.InvalidRequest("grant_type is required."));
        }

        if (!GrantTypes.Served.Contains(grantType, StringComparer.Ordinal))
        {
            // The device grant (SPEC section 6) is not served yet and not advertised: unsupported like any other.
            return Error(OAuthErrors.UnsupportedGrantType($"The grant type '{Shorten(grantType)}' is not supported."));
        }

        var scope = Single(form, "scope");
        var result = grantType switch
        {
            GrantTypes.ClientCredentials => await sender.Send(new IssueClientCredentialsTokenCommand(client, scope), ct),
            GrantTypes.AuthorizationCode => await sender.Send(
                new RedeemAuthorizationCodeCommand(client, Single(form, "code") ?? "", Single(form, "redirect_uri"), Single(form, "code_verifier")), ct),
            GrantTypes.RefreshToken => await sender.Send(new RedeemRefreshTokenCommand(client, Single(form, "refresh_token") ?? "", scope), ct),
            _ => await sender.Send(new IssuePasswordTokenCommand(client, Single(form, "username") ?? "", Single(form, "password") ?? "", scope), ct),
        };
        return result.IsSuccess ? Ok(result.Value) : Error(result.Error!);
    }

    private static bool IsFormUrlEncoded(string? contentType) =>
        Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var media)
        && media.MediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase);

    private static string? Single(IFormCollection form, string name) =>
        form.TryGetValue(name, out var values) && values.Count == 1 ? values[0] : null;

    private static string Shorten(string value) => ClientAuthentication.Printable(value.Length <= 64 ? value : value[..64] + "…");

    /// <summary>RFC 6749 section 5.2: 401 with a Basic challenge for invalid_client, 429 with Retry-After when throttled, 400 otherwise.</summary>
    private ObjectResult Error(Error error)
    {
        var (status, code) = error.Code switch
        {
            OAuthErrorCodes.InvalidClient => (StatusCodes.Status401Unauthorized, OAuthErrorCodes.InvalidClient),
            ErrorCodes.RateLimited => (StatusCodes.Status429TooManyRequests, "temporarily_unavailable"),
            ErrorCodes.ValidationFailed => (StatusCodes.Status400BadRequest, OAuthErrorCodes.InvalidRequest),
            OAuthErrorCodes.InvalidRequest or OAuthErrorCodes.InvalidGrant or OAuthErrorCodes.InvalidScope
                or OAuthErrorCodes.UnauthorizedClient or OAuthErrorCodes.UnsupportedGrantType => (StatusCodes.Status400BadRequest, error.Code),
            _ => (StatusCodes.Status400BadRequest, OAuthErrorCodes.InvalidRequest),
        };
        if (status == StatusCodes.Status401Unauthorized)
        {
            Response.Headers.WWWAuthenticate = $"Basic realm=\"{Realm}\", charset=\"UTF-8\"";
        }

        if (status == StatusCodes.Status429TooManyRequests)
        {
            Response.Headers.RetryAfter = error.Fields?.GetValueOrDefault(ClientAuthentication.RetryAfterField)?.FirstOrDefault()
                ?? 1.ToString(CultureInfo.InvariantCulture);
        }

        var description = error.Code == ErrorCodes.ValidationFailed && error.Fields is { Count: > 0 } fields
            ? string.Join(" ", fields.SelectMany(f => f.Value))
            : error.Message;
        return new ObjectResult(new OAuthErrorResponse(code, description)) { StatusCode = status };
    }
}
