using System.ComponentModel;
using AuthPlatform.Application.OAuth.IntrospectToken;
using AuthPlatform.Application.OAuth.RevokeToken;
using AuthPlatform.WebApi.Http;
using AuthPlatform.Application.OAuth.Common;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace AuthPlatform.WebApi.Controllers;

/// <summary>For the OpenAPI document: the form of <c>/oauth/revoke</c> and <c>/oauth/introspect</c>.</summary>
public sealed record TokenForm(
    [property: Description("The access or refresh token.")] string Token,
    [property: Description("access_token or refresh_token: where to look first.")] string? TokenTypeHint,
    [property: Description("The client, when it does not authenticate by HTTP Basic.")] string? ClientId,
    [property: Description("A confidential client's secret, when it does not authenticate by HTTP Basic.")] string? ClientSecret);

/// <summary>
/// Token revocation (RFC 7009) and introspection (RFC 7662) for authenticated clients, beside the
/// token endpoint: the same form and client-authentication rules (<see cref="OAuthForms"/>), and
/// <c>Cache-Control: no-store</c> on every answer.
/// </summary>
[ApiController]
[ApiTag("OAuth", "The OAuth 2.0 and OpenID Connect protocol endpoints: token, device authorization, revocation, introspection, authorization, UserInfo, logout.")]
[AllowAnonymous]
[Route("oauth")]
public sealed class OAuthTokensController(ISender sender) : ControllerBase
{
    /// <summary>200 with an empty body whether or not the token was known (RFC 7009 2.2).</summary>
    [EndpointSummary("Revoke a token (RFC 7009)")]
    [EndpointDescription("Revokes an access or refresh token issued to the calling client; 200 with an empty body whether or not the token was known.")]
    [HttpPost("revoke", Name = "RevokeToken")]
    [RequestExample(@"{""token"": ""the refresh token"", ""token_type_hint"": ""refresh_token"", ""client_id"": ""the client id""}")]
    [NoStore]
    [ProtocolParameters(typeof(TokenForm))]
    [ClientAuthentication]
    [ErrorCodes(StatusCodes.Status400BadRequest, OAuthErrorCodes.InvalidRequest, OAuthErrorCodes.UnauthorizedClient)]
    [ErrorCodes(StatusCodes.Status401Unauthorized, OAuthErrorCodes.InvalidClient)]
    [ErrorCodes(StatusCodes.Status429TooManyRequests, "temporarily_unavailable")]
    [ProducesResponseType(StatusCodes.Status200OK)]
    [ProducesResponseType<OAuthErrorResponse>(StatusCodes.Status400BadRequest, "application/json")]
    [ProducesResponseType<OAuthErrorResponse>(StatusCodes.Status401Unauthorized, "application/json")]
    [ProducesResponseType<OAuthErrorResponse>(StatusCodes.Status429TooManyRequests, "application/json")]
    public async Task<IActionResult> Revoke()
    {
        var ct = HttpContext.RequestAborted; // no action parameter (see OAuthForms)
        var (form, error) = await OAuthForms.ReadAsync(Request, ct);
        if (form is null)
        {
            return OAuthForms.Error(Response, error!);
        }

        var result = await sender.Send(
            new RevokeTokenCommand(OAuthForms.ClientOf(Request, form), OAuthForms.Single(form, "token") ?? "", OAuthForms.Single(form, "token_type_hint")), ct);
        return result.IsSuccess ? Ok() : OAuthForms.Error(Response, result.Error!);
    }

    /// <summary><c>{"active": false}</c> for anything not live; the RFC 7662 fields for a live token.</summary>
    [EndpointSummary("Introspect a token (RFC 7662)")]
    [EndpointDescription("`{\"active\": false}` for anything not live; the RFC 7662 fields for a live token issued to the calling client.")]
    [HttpPost("introspect", Name = "IntrospectToken")]
    [RequestExample(@"{""token"": ""an access token"", ""client_id"": ""the client id"", ""client_secret"": ""the client secret""}")]
    [NoStore]
    [ProtocolParameters(typeof(TokenForm))]
    [ClientAuthentication]
    [ErrorCodes(StatusCodes.Status400BadRequest, OAuthErrorCodes.InvalidRequest, OAuthErrorCodes.UnauthorizedClient)]
    [ErrorCodes(StatusCodes.Status401Unauthorized, OAuthErrorCodes.InvalidClient)]
    [ErrorCodes(StatusCodes.Status429TooManyRequests, "temporarily_unavailable")]
    [Produces("application/json")]
    [ProducesResponseType<IntrospectionResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<OAuthErrorResponse>(StatusCodes.Status400BadRequest)]
    [ProducesResponseType<OAuthErrorResponse>(StatusCodes.Status401Unauthorized)]
    [ProducesResponseType<OAuthErrorResponse>(StatusCodes.Status429TooManyRequests)]
    public async Task<IActionResult> Introspect()
    {
        var ct = HttpContext.RequestAborted; // no action parameter (see OAuthForms)
        var (form, error) = await OAuthForms.ReadAsync(Request, ct);
        if (form is null)
        {
            return OAuthForms.Error(Response, error!);
        }

        var result = await sender.Send(
            new IntrospectTokenCommand(OAuthForms.ClientOf(Request, form), OAuthForms.Single(form, "token") ?? "", OAuthForms.Single(form, "token_type_hint")), ct);
        return result.IsSuccess ? Ok(result.Value) : OAuthForms.Error(Response, result.Error!);
    }
}
