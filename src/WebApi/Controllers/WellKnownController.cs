using AuthPlatform.Application.Auth.GetJwks;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace AuthPlatform.WebApi.Controllers;

/// <summary>Published metadata: the JSON Web Key Set of the token-signing keys.</summary>
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
}

/// <summary>For the OpenAPI document: a JWKS (RFC 7517).</summary>
public sealed record JwksDocument(IReadOnlyList<Dictionary<string, string>> Keys);
