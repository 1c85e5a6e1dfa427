import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@web/styles/tokens.css';
import '@web/styles/base.css';
import { App } from './app/app';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
