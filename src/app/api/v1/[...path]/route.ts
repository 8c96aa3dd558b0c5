// Any other /api/v1 path – a problem+json 404 instead of an HTML page
import { AppError } from "@/server/http/errors";
import { problemResponse } from "@/server/http/problem";

function notFound(): Response {
  return problemResponse(new AppError("not_found", "No such endpoint."));
}

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
