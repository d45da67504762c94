using System.ComponentModel;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.OAuth.Common;
using AuthPlatform.Application.OAuth.Device.RequestDeviceAuthorization;
using AuthPlatform.Application.OAuth.IssueClientCredentialsToken;
using AuthPlatform.Application.OAuth.Token.IssuePasswordToken;
using AuthPlatform.Application.OAuth.Token.RedeemAuthorizationCode;
using AuthPlatform.Application.OAuth.Token.RedeemDeviceCode;
using AuthPlatform.Application.OAuth.Token.RedeemRefreshToken;
using AuthPlatform.WebApi.Http;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace AuthPlatform.WebApi.Controllers;

/// <summary>For the OpenAPI document: the form of <c>POST /oauth/token</c> (read by <see cref="OAuthForms"/>, not bound).</summary>
public sealed record TokenRequestForm(
    [property: Description("authorization_code, refresh_token, client_credentials, password or urn:ietf:params:oauth:grant-type:device_code.")] string GrantType,
    [property: Description("authorization_code: the code from the redirect.")] string? Code,
    [property: Description("authorization_code: the redirect URI of the authorization request.")] string? RedirectUri,
    [property: Description("authorization_code: the PKCE verifier (RFC 7636).")] string? CodeVerifier,
    [property: Description("refresh_token: the refresh token.")] string? RefreshToken,
    [property: Description("password: the user's e-mail address.")] string? Username,
    [property: Description("password: the user's password.")] string? Password,
    [property: Description("urn:ietf:params:oauth:grant-type:device_code: the device code from POST /oauth/device_authorization (RFC 8628 3.4).")] string? DeviceCode,
    [property: Description("Space-separated scopes (client_credentials, password, refresh_token to narrow).")] string? Scope,
    [property: Description("The client, when it does not authenticate by HTTP Basic.")] string? ClientId,
    [property: Description("A confidential client's secret, when it does not authenticate by HTTP Basic.")] string? ClientSecret);

/// <summary>For the OpenAPI document: the form of <c>POST /oauth/device_authorization</c> (read by <see cref="OAuthForms"/>, not bound).</summary>
public sealed record DeviceAuthorizationRequestForm(
    [property: Description("Space-separated scopes, within the client's registered ones; all of them when omitted.")] string? Scope,
    [property: Description("The client, when it does not authenticate by HTTP Basic.")] string? ClientId,
    [property: Description("A confidential client's secret, when it does not authenticate by HTTP Basic.")] string? ClientSecret);

/// <summary>The RFC 6749 error answer: <c>{"error", "error_description"}</c>.</summary>
public sealed record OAuthErrorResponse(string Error, string? ErrorDescription);

/// <summary>
/// The OAuth 2.0 token endpoint (SPEC section 6). Reads the form (RFC 6749 section 3.2: form-urlencoded,
/// no parameter twice), picks the grant's use case by <c>grant_type</c> and answers RFC 6749 JSON:
/// the token (5.1) or the error (5.2), always with <c>Cache-Control: no-store</c> and <c>Pragma: no-cache</c>.
/// </summary>
[ApiController]
[ApiTag("OAuth", "The OAuth 2.0 and OpenID Connect protocol endpoints: token, device authorization, revocation, introspection, authorization, UserInfo, logout.")]
[AllowAnonymous]
[Route("oauth")]
public sealed class OAuthController(ISender sender, PasswordGrantLimiter passwordGrants) : ControllerBase
{
    public const string Realm = "authplatform";

    [EndpointSummary("OAuth 2.0 token endpoint")]
    [EndpointDescription("RFC 6749: `grant_type` = `authorization_code` (with PKCE), `refresh_token`, `client_credentials`, `password` (first-party clients) or `urn:ietf:params:oauth:grant-type:device_code` (RFC 8628 3.4: polled with `device_code`; 400 `authorization_pending`, `slow_down`, `access_denied` or `expired_token` until the tokens). Form-urlencoded; the client authenticates by HTTP Basic or in the form. Errors are RFC 6749 5.2 JSON; always `Cache-Control: no-store`.")]
    [HttpPost("token", Name = "Token")]
    [RequestExample(@"{""grant_type"": ""client_credentials"", ""scope"": ""api_keys:read"", ""client_id"": ""the client id"", ""client_secret"": ""the client secret""}")]
    [Produces("application/json")]
    [ProtocolParameters(typeof(TokenRequestForm))]
    [ClientAuthentication]
    [ErrorCodes(StatusCodes.Status400BadRequest, OAuthErrorCodes.InvalidRequest, OAuthErrorCodes.InvalidGrant, OAuthErrorCodes.InvalidScope, OAuthErrorCodes.UnauthorizedClient, OAuthErrorCodes.UnsupportedGrantType,
        OAuthErrorCodes.AuthorizationPending, OAuthErrorCodes.SlowDown, OAuthErrorCodes.ExpiredToken, OAuthErrorCodes.AccessDenied)]
    [ErrorCodes(StatusCodes.Status401Unauthorized, OAuthErrorCodes.InvalidClient)]
    [ErrorCodes(StatusCodes.Status429TooManyRequests, "temporarily_unavailable")]
    [ProducesResponseType<TokenResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<OAuthErrorResponse>(StatusCodes.Status400BadRequest)]
    [ProducesResponseType<OAuthErrorResponse>(StatusCodes.Status401Unauthorized)]
    [ProducesResponseType<OAuthErrorResponse>(StatusCodes.Status429TooManyRequests)]
    [NoStore]
    public async Task<IActionResult> Token()
    {
        // No action parameter on purpose (see OAuthForms).
        var ct = HttpContext.RequestAborted;
        var (form, invalid) = await OAuthForms.ReadAsync(Request, ct);
        if (form is null)
        {
            return OAuthForms.Error(Response, invalid!);
        }

        var client = OAuthForms.ClientOf(Request, form);
        var grantType = OAuthForms.Single(form, "grant_type");
        if (string.IsNullOrEmpty(grantType))
        {
            return OAuthForms.Error(Response, OAuthErrors.InvalidRequest("grant_type is required."));
        }

        if (!GrantTypes.Served.Contains(grantType, StringComparer.Ordinal))
        {
            return OAuthForms.Error(Response, OAuthErrors.UnsupportedGrantType($"The grant type '{OAuthForms.Shorten(grantType)}' is not supported."));
        }

        if (grantType == GrantTypes.Password && await passwordGrants.TryAcquireAsync(HttpContext.Connection.RemoteIpAddress?.ToString(), ct) is { } throttled)
        {
            return OAuthForms.Error(Response, throttled);
        }

        var scope = OAuthForms.Single(form, "scope");
        var result = grantType switch
        {
            GrantTypes.ClientCredentials => await sender.Send(new IssueClientCredentialsTokenCommand(client, scope), ct),
            GrantTypes.AuthorizationCode => await sender.Send(
                new RedeemAuthorizationCodeCommand(client, OAuthForms.Single(form, "code") ?? "", OAuthForms.Single(form, "redirect_uri"), OAuthForms.Single(form, "code_verifier")), ct),
            GrantTypes.RefreshToken => await sender.Send(new RedeemRefreshTokenCommand(client, OAuthForms.Single(form, "refresh_token") ?? "", scope), ct),
            GrantTypes.DeviceCode => await sender.Send(new RedeemDeviceCodeCommand(client, OAuthForms.Single(form, "device_code") ?? ""), ct),
            _ => await sender.Send(new IssuePasswordTokenCommand(client, OAuthForms.Single(form, "username") ?? "", OAuthForms.Single(form, "password") ?? "", scope), ct),
        };
        return result.IsSuccess ? Ok(result.Value) : OAuthForms.Error(Response, result.Error!);
    }

    /// <summary>
    /// The device authorization endpoint (RFC 8628 3.1): a device (a CLI) authenticates as at the
    /// token endpoint and receives its device code, the user code and where a person enters it.
    /// </summary>
    [EndpointSummary("OAuth 2.0 device authorization endpoint (RFC 8628)")]
    [EndpointDescription("RFC 8628 3.1: a device (a command-line tool) authenticates as at the token endpoint and receives its `device_code`, the `user_code` a person enters at `verification_uri` (`GET /oauth/device`), `expires_in` and the polling `interval`; it then polls `POST /oauth/token` with `grant_type=urn:ietf:params:oauth:grant-type:device_code`. The client must be registered for that grant. Form-urlencoded; errors are RFC 6749 5.2 JSON; always `Cache-Control: no-store`.")]
    [HttpPost("device_authorization", Name = "DeviceAuthorization")]
    [RequestExample(@"{""scope"": ""openid profile"", ""client_id"": ""the client id""}")]
    [Produces("application/json")]
    [ProtocolParameters(typeof(DeviceAuthorizationRequestForm))]
    [ClientAuthentication]
    [ErrorCodes(StatusCodes.Status400BadRequest, OAuthErrorCodes.InvalidRequest, OAuthErrorCodes.InvalidScope, OAuthErrorCodes.UnauthorizedClient)]
    [ErrorCodes(StatusCodes.Status401Unauthorized, OAuthErrorCodes.InvalidClient)]
    [ErrorCodes(StatusCodes.Status429TooManyRequests, "temporarily_unavailable")]
    [ProducesResponseType<DeviceAuthorizationResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<OAuthErrorResponse>(StatusCodes.Status400BadRequest)]
    [ProducesResponseType<OAuthErrorResponse>(StatusCodes.Status401Unauthorized)]
    [ProducesResponseType<OAuthErrorResponse>(StatusCodes.Status429TooManyRequests)]
    [NoStore]
    public async Task<IActionResult> DeviceAuthorization()
    {
        // No action parameter on purpose (see OAuthForms).
        var ct = HttpContext.RequestAborted;
        var (form, invalid) = await OAuthForms.ReadAsync(Request, ct);
        if (form is null)
        {
            return OAuthForms.Error(Response, invalid!);
        }

        var result = await sender.Send(new RequestDeviceAuthorizationCommand(OAuthForms.ClientOf(Request, form), OAuthForms.Single(form, "scope")), ct);
        return result.IsSuccess ? Ok(result.Value) : OAuthForms.Error(Response, result.Error!);
    }
}
