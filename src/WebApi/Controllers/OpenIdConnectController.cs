using System.ComponentModel;
using AuthPlatform.Application.OAuth.EndSession;
using AuthPlatform.Application.OAuth.GetUserInfo;
using AuthPlatform.Domain.OAuth;
using AuthPlatform.WebApi.Authentication;
using AuthPlatform.WebApi.Http;
using AuthPlatform.WebApi.Pages;
using Mediator;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;

namespace AuthPlatform.WebApi.Controllers;

/// <summary>For the OpenAPI document: the parameters of <c>/oauth/end_session</c> (query on GET, form on POST).</summary>
public sealed record EndSessionParameters(
    [property: Description("An ID token this server issued to the client: says whose session ends.")] string? IdTokenHint,
    [property: Description("A post-logout redirect URI registered for the client.")] string? PostLogoutRedirectUri,
    [property: Description("Returned unchanged on the redirect.")] string? State,
    [property: Description("The client, when there is no id_token_hint.")] string? ClientId);

/// <summary>OpenID Connect: the UserInfo endpoint (Core 1.0 section 5.3) and RP-Initiated Logout 1.0.</summary>
[ApiController]
[ApiTag("OAuth", "The OAuth 2.0 and OpenID Connect protocol endpoints: token, device authorization, revocation, introspection, authorization, UserInfo, logout.")]
[Route("oauth")]
public sealed class OpenIdConnectController(ISender sender) : ControllerBase
{
    /// <summary>The claims of the token's user: <c>sub</c>; <c>email</c>, <c>email_verified</c> with <c>email</c>; <c>name</c> with <c>profile</c>.</summary>
    [EndpointSummary("OpenID Connect UserInfo")]
    [EndpointDescription("The claims of the token's user (Core 1.0 section 5.3): `sub`; `email`, `email_verified` with the `email` scope; `name` with `profile`. Needs an access token with the `openid` scope.")]
    [HttpGet("userinfo", Name = "GetUserInfo")]
    [HttpPost("userinfo", Name = "PostUserInfo")]
    [RequireScope(OAuthIdentityScopes.OpenId)]
    [NoStore]
    [Produces("application/json")]
    [ProducesResponseType<UserInfoResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status403Forbidden, "application/problem+json")]
    public async Task<IActionResult> UserInfo(CancellationToken ct) =>
        this.ToActionResult(await sender.Send(new GetUserInfoQuery(HttpContext.Caller()), ct));

    /// <summary>
    /// Signs the browser out of the sign-in of <c>/oauth/authorize</c> and ends that session, then
    /// redirects to the registered <c>post_logout_redirect_uri</c> (with <c>state</c>) or shows a
    /// signed-out page. Parameters in the query (GET) or the form (POST), as the specification allows.
    /// </summary>
    [EndpointSummary("OpenID Connect RP-initiated logout")]
    [EndpointDescription("Signs the browser out of the sign-in of `/oauth/authorize` and ends that session, then redirects to the registered `post_logout_redirect_uri` (with `state`) or shows a signed-out page. Parameters in the query (GET) or the form (POST).")]
    [HttpGet("end_session", Name = "EndSession")]
    [HttpPost("end_session", Name = "PostEndSession")]
    [AllowAnonymous]
    [NoStore]
    [ProtocolParameters(typeof(EndSessionParameters))]
    [ProducesResponseType(StatusCodes.Status302Found)]
    [ProducesResponseType<string>(StatusCodes.Status200OK, "text/html")]
    [ProducesResponseType<string>(StatusCodes.Status400BadRequest, "text/html")]
    public async Task<IActionResult> EndSession()
    {
        var ct = HttpContext.RequestAborted; // no action parameter (see OAuthForms)
        IFormCollection? form = null;
        if (HttpMethods.IsPost(Request.Method))
        {
            (form, var invalid) = await OAuthForms.ReadAsync(Request, ct);
            if (form is null)
            {
                return new ContentResult
                {
                    StatusCode = StatusCodes.Status400BadRequest,
                    ContentType = "text/html; charset=utf-8",
                    Content = SignInPages.Error(invalid!.Message),
                };
            }
        }

        string? One(string name) => form is not null
            ? OAuthForms.Single(form, name)
            : Request.Query.TryGetValue(name, out var q) && q.Count == 1 ? q[0] : null;

        var signIn = await BrowserCookie.ReadAsync(HttpContext);
        var result = await sender.Send(
            new EndSessionCommand(One("id_token_hint"), One("post_logout_redirect_uri"), One("state"), One("client_id"), signIn), ct);
        await HttpContext.SignOutAsync(BrowserCookie.Scheme);
        var outcome = result.IsSuccess ? result.Value : new EndSessionOutcome(null, null, null);
        if (outcome.RedirectUri is { } uri)
        {
            return Redirect(outcome.State is null ? uri : QueryHelpers.AddQueryString(uri, "state", outcome.State));
        }

        return Content(SignInPages.SignedOut(outcome.Notice), "text/html; charset=utf-8");
    }
}
