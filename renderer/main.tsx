import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { api } from './api/client.js';
import { App } from './app/App.js';
import { initTheme } from './app/theme.js';
import { wireStores } from './app/wire.js';
import './app/theme.css';

initTheme();
wireStores(api);

const root = document.getElementById('root');
if (!root) throw new Error('Flowsight: #root is missing from index.html');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
