using AuthPlatform.Application.Auth.GetJwks;
using AuthPlatform.Application.OAuth.GetServerMetadata;
using AuthPlatform.WebApi.Http;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace AuthPlatform.WebApi.Controllers;

/// <summary>Published metadata: the JSON Web Key Set of the token-signing keys, and the authorization server's metadata (RFC 8414, OpenID Connect Discovery).</summary>
[ApiController]
[AllowAnonymous]
public sealed class WellKnownController(ISender sender) : ControllerBase
{
    [HttpGet("/.well-known/jwks.json", Name = "GetJwks")]
    [ProducesResponseType(StatusCodes.Status200OK, Type = typeof(JwksDocument))]
    public async Task<ContentResult> Jwks(CancellationToken ct)
    {
        var jwks = await sender.Send(new GetJwksQuery(), ct);
        Response.Headers.CacheControl = "public, max-age=300";
        return Content(jwks.Value, "application/json");
    }

    [HttpGet("/.well-known/oauth-authorization-server", Name = "GetAuthorizationServerMetadata")]
    [HttpGet("/.well-known/openid-configuration", Name = "GetOpenIdConfiguration")]
    [Produces("application/json")]
    [ProducesResponseType<ServerMetadataResponse>(StatusCodes.Status200OK)]
    public async Task<IActionResult> Metadata(CancellationToken ct)
    {
        Response.Headers.CacheControl = "public, max-age=300";
        return this.ToActionResult(await sender.Send(new GetServerMetadataQuery(), ct));
    }
}

/// <summary>For the OpenAPI document: a JWKS (RFC 7517).</summary>
public sealed record JwksDocument(IReadOnlyList<Dictionary<string, string>> Keys);
