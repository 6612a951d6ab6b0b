import { mount } from 'svelte';
import App from './app/App.svelte';

const target = document.getElementById('app');
if (!target) throw new Error('Kura: the #app element is missing from index.html');

export default mount(App, { target });

// The service worker exists only in the built app (the dev server serves modules live). When a new
// version is waiting, the page is told with a `kura:update-ready` event whose detail activates it.
if (import.meta.env.PROD) {
  void import('./client/pwa.ts').then(({ registerServiceWorker, announceUpdates }) => {
    const control = registerServiceWorker();
    if (control) announceUpdates(control, window);
  });
}
