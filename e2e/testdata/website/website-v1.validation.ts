/**
 * The validating webhook of Website web.example.com/v1 as docs/getting-started.md fills it
 * in: a Website needs a body to serve, and a title longer than search engines show is let
 * through with a warning.
 */
import { fieldError, validating, type FieldError } from '@kubeforge/runtime';
import { websiteResource, type Website } from '../generated/web.example.com/v1/website.ts';

/** Search engines cut titles after about this many characters. */
const shownTitleLength = 60;

function checkWebsite(website: Website): { errors: FieldError[]; warnings: string[] } {
  const errors: FieldError[] = [];
  const warnings: string[] = [];
  if (website.spec.body.trim() === '') {
    errors.push(fieldError.required('spec.body', 'a Website needs a page to serve'));
  }
  if (website.spec.title.length > shownTitleLength) {
    warnings.push(
      `spec.title has ${website.spec.title.length} characters: search engines show the first ${shownTitleLength}`,
    );
  }
  return { errors, warnings };
}

/** Served at /validate-web-example-com-v1-website. */
export const websiteV1Validation = validating(websiteResource, {
  create: (website) => checkWebsite(website),
  update: (website) => checkWebsite(website),
});
