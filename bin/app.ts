import { createContactScreeningApp, environmentFrom } from '../lib/contact-screening-app';

const env = environmentFrom(process.env);
createContactScreeningApp({ stackProps: env ? { env } : {} });
